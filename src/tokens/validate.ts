/**
 * How a joining node checks a server's CA bundle against its token (§2.3 `validateCAHash`), offline.
 */
import { is } from "../internal/options.js";
import { hashOf } from "./ca-hash.js";
import { TokenError } from "./errors.js";
import { parseToken } from "./format.js";
import { arg, options as opts, pemInput, secretArg, tokenText } from "./options.js";

export interface ServerCAValidation {
  /** Hash of the bundle as K3s computes it (§2.2). */
  serverHash: string;
  /** Hash carried by the token ("" when none). */
  tokenHash: string;
  /** True when the token carried a hash and it matched. False when the token had none (accepted with a warning). */
  verified: boolean;
  warning?: string;
}

/**
 * Checks the CA bundle a server served at `/cacerts` against the token's CA hash. A token without a hash is
 * accepted with a warning, as K3s does for a self-signed CA.
 *
 * @example
 * ```ts
 * validateServerCA(token, await (await fetch(`${url}/cacerts`)).text());
 * ```
 * @throws TokenError `TOKEN_CA_MISMATCH` (`token CA hash does not match the Cluster CA certificate hash: <tok> != <srv>`),
 * `TOKEN_CA_INVALID`, and the parse errors of {@link parseToken}
 */
export function validateServerCA(
  token: string,
  caBundlePem: string | Uint8Array,
  options: { now?: Date } = {},
): ServerCAValidation {
  const what = "validateServerCA";
  const t = secretArg(token, tokenText, "token", what);
  const bundle = arg<string | Uint8Array>(caBundlePem, pemInput, "caBundlePem", what);
  const o = opts<{ now?: Date }>(options, { now: is.date }, what);
  const { caHash: tokenHash } = parseToken(t);
  let serverHash: string;
  try {
    serverHash = hashOf(bundle, o);
  } catch (cause) {
    // K3s turns an unparsable bundle into the hash "", which never matches.
    if (tokenHash !== "") {
      throw new TokenError(
        "TOKEN_CA_MISMATCH",
        `token CA hash does not match the Cluster CA certificate hash: ${tokenHash} != `,
        { value: tokenHash, cause },
      );
    }
    throw cause;
  }
  if (tokenHash === "") {
    return {
      serverHash,
      tokenHash,
      verified: false,
      warning:
        "cluster CA certificate is not trusted by the host CA bundle, but the token does not include a CA hash",
    };
  }
  if (tokenHash !== serverHash) {
    throw new TokenError(
      "TOKEN_CA_MISMATCH",
      `token CA hash does not match the Cluster CA certificate hash: ${tokenHash} != ${serverHash}`,
      {
        value: { tokenHash, serverHash },
      },
    );
  }
  return { serverHash, tokenHash, verified: true };
}
