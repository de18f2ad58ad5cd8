/**
 * k3s-node-kit: K3s node preparation as typed functions.
 *
 * The root entry exports the `createNode()` facade, planning, cloud-init seeding and the error
 * helpers. Everything else lives in its own subpath (`k3s-node-kit/certs`, `/dns`, ...) so importing
 * one does not load the others; the facade loads modules lazily when a step needs them.
 * @packageDocumentation
 */
export { KitError, isKitError } from "./errors/index.js";
export type { KitErrorOptions } from "./errors/index.js";
export * from "./facade/index.js";
