/**
 * cloud-init user-data (`#cloud-config`) that seeds K3s servers with a pre-generated PKI and token,
 * and joins agents. Its own subpath, so the root entry does not load the YAML renderer it needs.
 * @packageDocumentation
 */
export { cloudInitForServer } from "./server.js";
export type { CloudInitForServerOptions, SeedFile } from "./server.js";
export { cloudInitForAgent } from "./agent.js";
export type { CloudInitForAgentOptions } from "./agent.js";
export { CloudInitError } from "./errors.js";
