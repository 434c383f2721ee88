/**
 * `@synod/cli` as a library: the protocol-agnostic host, file storage and TCP transport behind
 * `synod serve`, and the client behind `synod kv`.
 *
 * @module
 */
export * from "./host/index.js";
export * from "./storage/index.js";
export * from "./transport/index.js";
export { startNodeServer, type NodeServer, type NodeServerOptions } from "./node-server.js";
export { buildProgram } from "./program.js";
export type { KvReply, KvRequest } from "./commands/kv.js";
