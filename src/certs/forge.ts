/**
 * The two parts of node-forge the PKI uses: its ASN.1 DER codec and the UTF-8 helpers beside it.
 * Loaded by file, not through the package entry, because the entry loads all of forge (TLS, ciphers,
 * PKCS#7/#12, a pure-JS RSA, …): ~24 ms and several MB in a fresh process against ~4 ms for these
 * files, and a node's first boot is always a fresh process.
 * @internal
 */
import type forge from "node-forge";
import asn1Module from "node-forge/lib/asn1.js";
import utilModule from "node-forge/lib/util.js";

export const asn1 = asn1Module as typeof forge.asn1;
export const util = utilModule as typeof forge.util;
export type Asn1 = forge.asn1.Asn1;
export type Asn1Type = forge.asn1.Type;
