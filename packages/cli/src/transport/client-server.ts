/**
 * The client-facing port of a node: clients send requests, the node's replies go back on the
 * connection that asked.
 *
 * Wire (length-prefixed JSON frames): on connect the server sends `{type:"hello", nodeId,
 * protocol?, clientPolicy?}` so a client can map the node ids in `not-leader` hints to addresses
 * (and learn that the protocol's clients must sign requests and check replies: `clientPolicy`); the client sends
 * `{type:"request", clientId, seq, command}`; the server answers `{type:"reply", reply}` where
 * `reply` is a `ClientReply`. A `not-leader` reply whose hinted leader's client address this node
 * knows carries it as `leaderAddress` (`host:port`), so a client that was given one follower's
 * address still reaches the leader. A client may also send `{type:"status"}`; the server answers
 * `{type:"status", nodeId, status}` with what the node says about itself (see `synod status`).
 *
 * @module
 */
import net from "node:net";
import type { ClientReply, ClientRequest, NodeId } from "@synod/protocol";
import type { Address } from "./address.js";
import { FrameDecoder, FrameError, encodeFrame } from "./frame.js";
import { listen } from "./listen.js";

/** Options for {@link ClientServer}. */
export interface ClientServerOptions<Cmd> {
  /** Sent to every client in the hello frame, so it can map leader hints to addresses. */
  nodeId: NodeId;
  /** The protocol served, sent in the hello frame. */
  protocol?: string;
  /** Sent in the hello frame: clients must use the protocol's client policy (sign requests, check replies). */
  clientPolicy?: boolean;
  /** Where to listen. */
  listen: Address;
  /** A well-formed request arrived. */
  onRequest(request: ClientRequest<Cmd>): void;
  /** What the node says about itself, for `{type:"status"}` frames (absent: such frames close the connection). */
  status?: () => unknown;
  /** The client address (`host:port`) of node `id`, when known; sent with `not-leader` replies. */
  clientAddressOf?: (id: NodeId) => string | undefined;
  /** Validate a command: `null` if fine, else the problem (answered with a `rejected` reply). */
  checkCommand?: (command: unknown) => string | null;
  /** Where closed connections are logged. Default: nowhere. */
  log?: (line: string) => void;
  /** Requests awaiting a reply per connection; more are answered `unavailable`. Default 4096. */
  pendingPerConnectionMax?: number;
}

/** Accepts client connections and routes replies back to them. */
export class ClientServer<Cmd, Res> {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  /** `clientId \0 seq` → the connection waiting for that reply (the latest one to ask). */
  private readonly waiting = new Map<string, net.Socket>();
  private readonly pendingBySocket = new Map<net.Socket, Set<string>>();
  /** clientId → the key of its latest request: a client has one request outstanding at a time. */
  private readonly latestOfClient = new Map<string, string>();
  private readonly log: (line: string) => void;
  private readonly pendingPerConnectionMax: number;

  constructor(private readonly options: ClientServerOptions<Cmd>) {
    this.log = options.log ?? (() => {});
    this.pendingPerConnectionMax = options.pendingPerConnectionMax ?? 4096;
  }

  /** Start listening. */
  async start(): Promise<void> {
    this.server = await listen(this.options.listen, (socket) => this.accept(socket));
  }

  /** Deliver a reply to the connection waiting for it; dropped if none is (the client retries). */
  reply(reply: ClientReply<Res>): void {
    const key = keyOf(reply.clientId, reply.seq);
    const socket = this.waiting.get(key);
    if (!socket) return;
    this.forget(key);
    if (this.latestOfClient.get(reply.clientId) === key) this.latestOfClient.delete(reply.clientId);
    if (socket.destroyed) return;
    let frame: Buffer;
    try {
      const leaderAddress = !reply.ok && reply.error === "not-leader" && reply.leaderHint !== undefined ? this.options.clientAddressOf?.(reply.leaderHint) : undefined;
      frame = encodeFrame({ type: "reply", reply, ...(leaderAddress !== undefined ? { leaderAddress } : {}) });
    } catch (err) {
      const { clientId, seq } = reply;
      this.log(`client: reply to ${clientId}/${seq} cannot be sent: ${(err as Error).message}`);
      // "unavailable", not "rejected": the command may have taken effect, so its outcome is unknown.
      frame = encodeFrame({ type: "reply", reply: { clientId, seq, ok: false, error: "unavailable", detail: `reply too large: ${(err as Error).message}` } });
    }
    socket.write(frame);
  }

  /** Close every client connection and the listener. */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    this.sockets.add(socket);
    this.pendingBySocket.set(socket, new Set());
    socket.setNoDelay(true);
    socket.write(
      encodeFrame({
        type: "hello",
        nodeId: this.options.nodeId,
        ...(this.options.protocol !== undefined ? { protocol: this.options.protocol } : {}),
        ...(this.options.clientPolicy === true ? { clientPolicy: true } : {}),
      }),
    );
    const decoder = new FrameDecoder();
    const where = `${socket.remoteAddress}:${socket.remotePort}`;
    socket.on("data", (chunk: Buffer) => {
      let frames: unknown[];
      try {
        frames = decoder.push(chunk);
      } catch (err) {
        this.log(`client: closing connection from ${where}: ${err instanceof FrameError ? err.message : String(err)}`);
        socket.destroy();
        return;
      }
      for (const frame of frames) {
        if (socket.destroyed) return;
        this.handleFrame(socket, frame, where);
      }
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      this.sockets.delete(socket);
      for (const key of this.pendingBySocket.get(socket) ?? []) {
        if (this.waiting.get(key) === socket) this.waiting.delete(key);
        const clientId = key.slice(0, key.indexOf("\u0000"));
        if (this.latestOfClient.get(clientId) === key) this.latestOfClient.delete(clientId);
      }
      this.pendingBySocket.delete(socket);
    });
  }

  private forget(key: string): void {
    const socket = this.waiting.get(key);
    if (!socket) return;
    this.waiting.delete(key);
    this.pendingBySocket.get(socket)?.delete(key);
  }

  private handleFrame(socket: net.Socket, frame: unknown, where: string): void {
    const f = frame as { type?: unknown; clientId?: unknown; seq?: unknown; command?: unknown };
    if (typeof f === "object" && f !== null && f.type === "status" && this.options.status !== undefined) {
      socket.write(encodeFrame({ type: "status", nodeId: this.options.nodeId, status: this.options.status() }));
      return;
    }
    if (typeof f !== "object" || f === null || f.type !== "request" || typeof f.clientId !== "string" || f.clientId === "" || !Number.isSafeInteger(f.seq) || (f.seq as number) < 0) {
      this.log(`client: closing connection from ${where}: expected {type:"request", clientId: non-empty string, seq: integer >= 0, command}`);
      socket.destroy();
      return;
    }
    const clientId = f.clientId;
    const seq = f.seq as number;
    let problem: string | null;
    try {
      problem = !("command" in f) ? "missing command" : (this.options.checkCommand?.(f.command) ?? null);
    } catch (err) {
      problem = `the command check threw: ${(err as Error).message}`;
    }
    if (problem !== null) {
      socket.write(encodeFrame({ type: "reply", reply: { clientId, seq, ok: false, error: "rejected", detail: `invalid command: ${problem}` } }));
      return;
    }
    const pending = this.pendingBySocket.get(socket)!;
    if (pending.size >= this.pendingPerConnectionMax) {
      socket.write(encodeFrame({ type: "reply", reply: { clientId, seq, ok: false, error: "unavailable", detail: "too many requests in flight on this connection" } }));
      return;
    }
    const key = keyOf(clientId, seq);
    // A client that moved on to a new seq no longer waits for the old one: forget it, so requests
    // the node never answered cannot pile up to the per-connection bound.
    const previous = this.latestOfClient.get(clientId);
    if (previous !== undefined && previous !== key) this.forget(previous);
    this.latestOfClient.set(clientId, key);
    this.waiting.set(key, socket);
    pending.add(key);
    this.options.onRequest({ clientId, seq, command: f.command as Cmd });
  }
}

function keyOf(clientId: string, seq: number): string {
  return `${clientId}\u0000${seq}`;
}
