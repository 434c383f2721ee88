/**
 * `@synod/cli` as a library: the protocol-agnostic host, file storage and TCP transport behind
 * `synod serve`, and the KV client behind `synod kv`.
 *
 * @module
 */
export * from "./storage/index.js";
