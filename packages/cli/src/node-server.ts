/**
 * Wiring for one real node: recover storage, create the node from it, and connect the host to the
 * peer transport and the client port. `synod serve` is this plus argument parsing.
 *
 * @module
 */
import type { NodeStatus } from "@synod/conformance";
import type { Json, NodeId, ProtocolNode } from "@synod/protocol";
import { NodeHost, type HostStats } from "./host/node-host.js";
import { statusEvents } from "./ops/status-events.js";
import { FileStorage } from "./storage/file-storage.js";
import { ClientServer } from "./transport/client-server.js";
import { PeerTransport } from "./transport/peer-transport.js";
import { formatAddress, type Address } from "./transport/address.js";

/** Options for {@link startNodeServer}. */
export interface NodeServerOptions<Msg, Cmd, Res> {
  /** This node's id; must be a key of `peers`. */
  id: NodeId;
  /** Every node of the cluster including this one, with its peer address. */
  peers: ReadonlyMap<NodeId, Address>;
  /** Where clients connect. */
  clientListen: Address;
  /** The data directory. */
  dataDir: string;
  /** Create the node from what storage recovered (an empty map on first boot). May throw on bad state. */
  createNode(durable: ReadonlyMap<string, Json>): ProtocolNode<Msg, Cmd, Res>;
  /** Wire validation for peer messages (`null` = fine). */
  checkMessage?: (message: unknown) => string | null;
  /** Wire validation for client commands (`null` = fine). */
  checkCommand?: (command: unknown) => string | null;
  /** Compact the WAL past this size. */
  compactWalBytesMin?: number;
  /** Group commit: events stepped per fsync (default 1; see `NodeHost`). */
  batchEventsMax?: number;
  /** Where log lines go. Default: stderr. */
  log?: (line: string) => void;
  /**
   * What the node says about itself (the kit's `status`). With it the client port answers status
   * requests, and every change of status is reported to `onEvent`.
   */
  status?: (node: ProtocolNode<Msg, Cmd, Res>) => NodeStatus;
  /** The protocol's name, sent with status answers (so `synod admin` can find the kit) and in the client hello. */
  protocol?: string;
  /**
   * The protocol's clients need its client policy (they sign requests, check replies): the client
   * hello says so, and a client without one fails fast instead of waiting for answers that never come.
   */
  clientPolicy?: boolean;
  /** A structured event (see `ops/status-events.ts`). */
  onEvent?: (event: string, fields: { [key: string]: Json }) => void;
  /** The client address other nodes hand to clients in redirects. Default: `clientListen`. */
  advertiseClient?: Address;
  /** Called when the host stopped on a fatal error (storage failure, node assertion). */
  onFatal?: (err: unknown) => void;
}

/** A running node. */
export interface NodeServer {
  /** The node's id. */
  readonly id: NodeId;
  /** The host's live counters. */
  readonly stats: HostStats;
  /** Stop serving and close files and sockets. */
  stop(): Promise<void>;
}

/**
 * Recover storage, create the node, start the host and both listeners.
 *
 * @throws StorageCorruptionError (from recovery) or whatever `createNode` throws, before anything listens.
 */
export async function startNodeServer<Msg, Cmd, Res>(options: NodeServerOptions<Msg, Cmd, Res>): Promise<NodeServer> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const self = options.peers.get(options.id);
  if (!self) throw new Error(`node ${options.id} is not in the peer list`);
  const storage = FileStorage.open({ dir: options.dataDir, compactWalBytesMin: options.compactWalBytesMin, log });
  let node: ProtocolNode<Msg, Cmd, Res>;
  try {
    node = options.createNode(storage.state);
  } catch (err) {
    storage.close();
    throw err;
  }
  const others = new Map([...options.peers].filter(([id]) => id !== options.id));
  // Learned from the peers' hellos: where each takes client requests, for not-leader redirects.
  const clientAddresses = new Map<NodeId, string>([[options.id, formatAddress(options.advertiseClient ?? options.clientListen)]]);
  const describeNode = options.status;
  let lastStatus: NodeStatus | null = describeNode ? describeNode(node) : null;
  // The host and the transports refer to each other; the transports only call back after start().
  let host: NodeHost<Msg, Cmd, Res> | null = null;
  const peerTransport = new PeerTransport({
    selfId: options.id,
    listen: self,
    peers: others,
    clientAddress: clientAddresses.get(options.id),
    onPeerClientAddress: (from, address) => clientAddresses.set(from, address),
    onMessage: (from, message) => host?.deliverMessage(from, message as Msg),
    checkMessage: options.checkMessage,
    log,
  });
  const clientServer = new ClientServer<Cmd, Res>({
    nodeId: options.id,
    ...(options.protocol !== undefined ? { protocol: options.protocol } : {}),
    ...(options.clientPolicy === true ? { clientPolicy: true } : {}),
    listen: options.clientListen,
    onRequest: (request) => host?.submitRequest(request),
    clientAddressOf: (id) => clientAddresses.get(id),
    ...(describeNode ? { status: () => ({ protocol: options.protocol ?? null, ...describeNode(node) }) } : {}),
    checkCommand: options.checkCommand,
    log,
  });
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    host?.stop();
    await Promise.all([peerTransport.stop(), clientServer.stop()]);
    storage.close();
  };
  host = new NodeHost<Msg, Cmd, Res>({
    node,
    storage,
    outputs: {
      send: (to, message) => peerTransport.send(to, message),
      reply: (reply) => clientServer.reply(reply),
    },
    batchEventsMax: options.batchEventsMax,
    onProcessed: describeNode
      ? () => {
          const now = describeNode(node);
          if (lastStatus !== null) for (const e of statusEvents(lastStatus, now)) options.onEvent?.(e.event, e.fields);
          lastStatus = now;
        }
      : undefined,
    onFatal: (err) => {
      void stop();
      (options.onFatal ?? ((e: unknown) => { throw e; }))(err);
    },
  });
  // Start the host first: whatever the node sends now waits in the peer queues until connected.
  host.start();
  try {
    await peerTransport.start();
    await clientServer.start();
  } catch (err) {
    await stop();
    throw err;
  }
  const h = host;
  return { id: options.id, stats: h.stats, stop };
}
