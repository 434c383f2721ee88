/**
 * `@synod/cli` as a library: the protocol-agnostic host, file storage and TCP transport behind
 * `synod serve`, the client behind `synod kv`, the cluster judge and node log behind `synod
 * status` and `serve --log-format`, and the Maelstrom node behind `synod maelstrom`.
 *
 * @module
 */
export * from "./host/index.js";
export * from "./storage/index.js";
export * from "./transport/index.js";
export { startNodeServer, type NodeServer, type NodeServerOptions } from "./node-server.js";
export { buildProgram } from "./program.js";
export type { KvReply, KvRequest, SiblingsReply, VersionContext } from "./commands/kv.js";
export { judgeCluster, type ClusterVerdict, type NodeRow } from "./ops/cluster-status.js";
export { createNodeLog, LOG_FORMATS, type LogFormat, type LogLevel, type NodeLog, type NodeLogOptions } from "./ops/node-log.js";
export { statusEvents, type StatusEvent } from "./ops/status-events.js";
export { MaelstromNode, FORWARD_HOPS_MAX, RETRY_PAUSE_MS, type MaelstromNodeOptions, type MaelstromStorage } from "./maelstrom/node.js";
export { MAELSTROM_ERRORS, errorByCode, type MaelstromErrorKind } from "./maelstrom/errors.js";
