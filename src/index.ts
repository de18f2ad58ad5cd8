/**
 * k3s-node-kit: K3s node preparation as typed functions.
 *
 * The root entry exports the `createNode()` facade and the error helpers. Everything else lives in
 * its own subpath (`k3s-node-kit/certs`, `/dns`, ...) so importing one does not load the others.
 * @packageDocumentation
 */
export { KitError, isKitError } from "./errors/index.js";
export type { KitErrorOptions } from "./errors/index.js";
