/**
 * TCP transport on loopback: peer links, the client port, and the client that talks to it.
 *
 * @module
 */
export { parseAddress, formatAddress, type Address } from "./address.js";
export { FrameDecoder, FrameError, encodeFrame, FRAME_BYTES_MAX } from "./frame.js";
export { PeerTransport, type PeerTransportOptions, type PeerTransportStats } from "./peer-transport.js";
export { ClientServer, type ClientServerOptions } from "./client-server.js";
export { ClusterClient, type ClientOutcome, type ClusterClientOptions } from "./cluster-client.js";
export { queryStatus, type NodeStatusAnswer, type StatusOutcome } from "./status-client.js";
