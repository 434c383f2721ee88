/**
 * Node-to-node messaging over TCP: one outgoing connection per peer (with reconnect and
 * exponential backoff) and a listener for the peers' connections to us.
 *
 * Delivery is best effort, as Raft and the other protocols assume: a message to a peer that is
 * down waits in a bounded queue (oldest dropped first when full), and a message to a connected
 * peer whose socket buffer is full is dropped.
 *
 * Wire: length-prefixed JSON frames. The dialling side sends `{type:"hello", from, client?}` first,
 * then `{type:"msg", message}` frames; the listening side never writes. `client` is the dialler's
 * client address, so that a follower can tell a client where the leader takes requests.
 *
 * @module
 */
import net from "node:net";
import type { NodeId } from "@synod/protocol";
import { formatAddress, type Address } from "./address.js";
import { FrameDecoder, FrameError, encodeFrame } from "./frame.js";
import { listen } from "./listen.js";

/** Options for {@link PeerTransport}. */
export interface PeerTransportOptions {
  /** This node's id, sent in the hello frame. */
  selfId: NodeId;
  /** Where to accept the peers' connections. */
  listen: Address;
  /** The other nodes and where they listen. */
  peers: ReadonlyMap<NodeId, Address>;
  /** This node's client address (`host:port`), sent in the hello frame. */
  clientAddress?: string;
  /** A peer said in its hello where it takes client requests. */
  onPeerClientAddress?(from: NodeId, clientAddress: string): void;
  /** A peer's message arrived (already checked by `checkMessage`). */
  onMessage(from: NodeId, message: unknown): void;
  /** Validate a message off the wire: `null` if fine, else the problem (the connection is then closed). */
  checkMessage?: (message: unknown) => string | null;
  /** Where connection problems are logged. Default: nowhere. */
  log?: (line: string) => void;
  /** Messages kept per disconnected peer. Default 1024. */
  queueMessagesMax?: number;
  /** Bytes allowed in a peer socket's write buffer before messages are dropped. Default 8 MiB. */
  socketBufferBytesMax?: number;
  /** Reconnect backoff bounds. Defaults 25 ms and 1000 ms. */
  backoffMsMin?: number;
  /** Upper bound of the reconnect backoff. */
  backoffMsMax?: number;
}

/** Counters for logs and tests. */
export interface PeerTransportStats {
  /** Message frames written to peer sockets. */
  framesSent: number;
  /** Message frames received and delivered. */
  framesReceived: number;
  /** Messages dropped from a full queue of a disconnected peer. */
  droppedQueueFull: number;
  /** Messages dropped because a connected peer's socket buffer was full. */
  droppedSocketFull: number;
  /** Inbound connections closed for a malformed frame, hello or message. */
  connectionsRejected: number;
  /** Messages dropped because they could not be framed (larger than the frame limit). */
  droppedUnencodable: number;
}

/** TCP transport between the nodes of one cluster. */
export class PeerTransport {
  /** Live counters. */
  readonly stats: PeerTransportStats = { framesSent: 0, framesReceived: 0, droppedQueueFull: 0, droppedSocketFull: 0, connectionsRejected: 0, droppedUnencodable: 0 };
  private readonly links = new Map<NodeId, PeerLink>();
  private readonly inbound = new Set<net.Socket>();
  private server: net.Server | null = null;
  private readonly log: (line: string) => void;

  constructor(private readonly options: PeerTransportOptions) {
    this.log = options.log ?? (() => {});
    for (const [id, address] of options.peers) {
      if (id === options.selfId) throw new Error(`peer list contains this node (${id}) as a peer`);
      this.links.set(id, new PeerLink(options.selfId, id, address, options, this.stats, this.log));
    }
  }

  /** Listen for peers and start dialling them. Resolves once listening. */
  async start(): Promise<void> {
    this.server = await listen(this.options.listen, (socket) => this.accept(socket));
    for (const link of this.links.values()) link.connect();
  }

  /** Send a message to a peer, best effort. */
  send(to: NodeId, message: unknown): void {
    const link = this.links.get(to);
    if (!link) {
      this.log(`transport: dropping a message to unknown node ${to}`);
      return;
    }
    let frame: Buffer;
    try {
      frame = encodeFrame({ type: "msg", message });
    } catch (err) {
      // Too big for a frame (or not serialisable): lost like any message, never fatal to the node.
      this.stats.droppedUnencodable++;
      this.log(`transport: dropping a message to ${to}: ${(err as Error).message}`);
      return;
    }
    link.send(frame);
  }

  /** Close every connection and the listener. */
  async stop(): Promise<void> {
    for (const link of this.links.values()) link.close();
    for (const socket of this.inbound) socket.destroy();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    this.inbound.add(socket);
    socket.setNoDelay(true);
    const decoder = new FrameDecoder();
    let from: NodeId | null = null;
    const where = `${socket.remoteAddress}:${socket.remotePort}`;
    const reject = (problem: string): void => {
      this.stats.connectionsRejected++;
      this.log(`transport: closing peer connection from ${where}${from ? ` (${from})` : ""}: ${problem}`);
      socket.destroy();
    };
    socket.on("data", (chunk: Buffer) => {
      let frames: unknown[];
      try {
        frames = decoder.push(chunk);
      } catch (err) {
        return reject(err instanceof FrameError ? err.message : String(err));
      }
      for (const frame of frames) {
        if (socket.destroyed) return;
        const f = frame as { type?: unknown; from?: unknown; client?: unknown; message?: unknown };
        if (from === null) {
          if (typeof f !== "object" || f === null || f.type !== "hello" || typeof f.from !== "string") return reject("expected a hello frame first");
          if (!this.links.has(f.from)) return reject(`hello from ${JSON.stringify(f.from)}, which is not a peer of ${this.options.selfId}`);
          if (f.client !== undefined && typeof f.client !== "string") return reject("hello: client must be a host:port string");
          from = f.from;
          if (typeof f.client === "string") this.options.onPeerClientAddress?.(from, f.client);
          continue;
        }
        if (typeof f !== "object" || f === null || f.type !== "msg" || !("message" in f)) return reject("expected a msg frame");
        let problem: string | null;
        try {
          problem = this.options.checkMessage?.(f.message) ?? null;
        } catch (err) {
          problem = `the message check threw: ${(err as Error).message}`;
        }
        if (problem !== null) return reject(`malformed message: ${problem}`);
        this.stats.framesReceived++;
        this.options.onMessage(from, f.message);
      }
    });
    socket.on("error", () => {});
    socket.on("close", () => this.inbound.delete(socket));
  }
}

class PeerLink {
  private socket: net.Socket | null = null;
  private connected = false;
  private closed = false;
  private queue: Buffer[] = [];
  private backoffMs: number;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private failuresLogged = 0;
  private readonly queueMessagesMax: number;
  private readonly socketBufferBytesMax: number;
  private readonly backoffMsMin: number;
  private readonly backoffMsMax: number;
  private readonly clientAddress: string | undefined;

  constructor(
    private readonly selfId: NodeId,
    private readonly peerId: NodeId,
    private readonly address: Address,
    options: PeerTransportOptions,
    private readonly stats: PeerTransportStats,
    private readonly log: (line: string) => void,
  ) {
    this.queueMessagesMax = options.queueMessagesMax ?? 1024;
    this.socketBufferBytesMax = options.socketBufferBytesMax ?? 8 * 1024 * 1024;
    this.backoffMsMin = options.backoffMsMin ?? 25;
    this.backoffMsMax = options.backoffMsMax ?? 1000;
    this.backoffMs = this.backoffMsMin;
    this.clientAddress = options.clientAddress;
  }

  connect(): void {
    if (this.closed) return;
    const socket = net.connect({ host: this.address.host, port: this.address.port });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on("connect", () => {
      this.connected = true;
      this.backoffMs = this.backoffMsMin;
      if (this.failuresLogged > 0) this.log(`transport: connected to ${this.peerId} at ${formatAddress(this.address)}`);
      this.failuresLogged = 0;
      socket.write(encodeFrame({ type: "hello", from: this.selfId, ...(this.clientAddress !== undefined ? { client: this.clientAddress } : {}) }));
      const queued = this.queue;
      this.queue = [];
      for (const frame of queued) this.send(frame);
    });
    socket.on("data", () => {}); // the listening side never writes
    socket.on("error", (err: NodeJS.ErrnoException) => {
      // Say it once per outage, not once per retry.
      if (this.failuresLogged++ === 0) this.log(`transport: ${this.peerId} at ${formatAddress(this.address)}: ${err.code ?? err.message}; retrying`);
    });
    socket.on("close", () => {
      this.connected = false;
      this.socket = null;
      if (this.closed) return;
      const delayMs = this.backoffMs * (0.5 + Math.random() / 2);
      this.backoffMs = Math.min(this.backoffMsMax, this.backoffMs * 2);
      this.reconnectTimer = setTimeout(() => {
        this.reconnectTimer = null;
        this.connect();
      }, delayMs);
    });
  }

  send(frame: Buffer): void {
    if (this.closed) return;
    const socket = this.socket;
    if (this.connected && socket) {
      if (socket.writableLength > this.socketBufferBytesMax) {
        this.stats.droppedSocketFull++;
        return;
      }
      socket.write(frame);
      this.stats.framesSent++;
      return;
    }
    this.queue.push(frame);
    if (this.queue.length > this.queueMessagesMax) {
      this.queue.shift();
      this.stats.droppedQueueFull++;
    }
  }

  close(): void {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.socket?.destroy();
    this.queue = [];
  }
}
