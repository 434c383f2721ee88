/**
 * A client of a replicated service over the nodes' client ports: it finds the leader by following
 * `not-leader` hints, and retries with the same `(clientId, seq)` so that a retried command takes
 * effect at most once (the protocol deduplicates on that pair).
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import net from "node:net";
import type { ClientReply, NodeId, ReplyRule } from "@synod/protocol";
import { formatAddress, parseAddress, type Address } from "./address.js";
import { FrameDecoder, encodeFrame } from "./frame.js";

/** Options for {@link ClusterClient}. */
export interface ClusterClientOptions {
  /** The nodes' client ports. The first request tries them in this order. */
  cluster: readonly Address[];
  /** Default: a random UUID. Two clients must never share one. */
  clientId?: string;
  /** The first request's sequence number. Default 1. */
  firstSeq?: number;
  /** How long to wait for one node to answer before trying another. Default 1000 ms. */
  attemptTimeoutMs?: number;
  /** Pause before retrying after `unavailable` or a `not-leader` without a usable hint. Default 50 ms. */
  retryDelayMs?: number;
  /**
   * Byzantine-fault-tolerant services: send every request to every node and take a result once
   * this many distinct nodes answered the same (f + 1). Default 1 (one node's answer).
   */
  replyQuorum?: number;
  /** Client-side authentication: turn each request into what the service accepts (e.g. sign it). */
  seal?: (request: { clientId: string; seq: number; command: unknown }) => { clientId: string; seq: number; command: unknown };
  /**
   * Authenticated replies (quorum mode): a fresh rule per request checks each reply and decides
   * when the result is final, in place of "`replyQuorum` identical answers". Rejected replies are
   * dropped and counted ({@link ClusterClient.repliesRejected}).
   */
  replies?: () => ReplyRule<unknown>;
}

/** How a request ended. */
export type ClientOutcome<Res> =
  /** The command took effect once; `nodeId` is the node that answered (the leader). */
  | { status: "ok"; result: Res; attempts: number; nodeId: NodeId | null }
  /** The service refused it for good (e.g. an invalid command); it had no effect. */
  | { status: "rejected"; detail: string; attempts: number }
  /** No answer within the deadline: the command may or may not have taken effect. */
  | { status: "timeout"; lastProblem: string; attempts: number }
  /**
   * The cluster's protocol needs a client policy this client was not given (its nodes said so in
   * their hello): nothing this client sends can be accepted. `detail` names the fix.
   */
  | { status: "misconfigured"; detail: string; attempts: number };

type AttemptResult<Res> = { kind: "reply"; reply: ClientReply<Res>; leaderAddress?: string } | { kind: "timeout" } | { kind: "closed" };

interface Connection {
  socket: net.Socket;
  nodeId: NodeId | null;
  open: boolean;
}

/** Sends commands to a cluster, one at a time, with leader discovery and exactly-once retries. */
export class ClusterClient<Cmd, Res> {
  /** This client's id, sent with every request. */
  readonly clientId: string;
  private readonly cluster: readonly Address[];
  private readonly attemptTimeoutMs: number;
  private readonly retryDelayMs: number;
  private seq: number;
  private readonly connections = new Map<string, Connection>();
  private readonly addressOfNode = new Map<NodeId, string>();
  private readonly failedAtMs = new Map<string, number>();
  private leader: string | null = null;
  private roundRobin = 0;
  private waiter: { seq: number; resolve: (r: AttemptResult<Res>) => void } | null = null;
  private readonly replyQuorum: number;
  private readonly seal: ClusterClientOptions["seal"];
  private readonly replies: ClusterClientOptions["replies"];
  /** Quorum mode: the nodes that sent each distinct answer to the request in flight (or its reply rule). */
  private votes: { seq: number; byAnswer: Map<string, Set<string>>; rule: ReplyRule<unknown> | null; resolve: (reply: ClientReply<Res>) => void } | null = null;
  /** Replies the reply rule rejected (their authenticator did not verify), with the last reason. */
  repliesRejected = 0;
  /** Why the last rejected reply was rejected. */
  lastRejection: string | null = null;
  private busy = false;
  private closed = false;
  /** Set when a node's hello said its protocol's clients need a policy this client lacks. */
  private misconfigured: string | null = null;

  constructor(options: ClusterClientOptions) {
    if (options.cluster.length === 0) throw new Error("ClusterClient: the cluster list is empty");
    this.cluster = options.cluster;
    this.clientId = options.clientId ?? randomUUID();
    this.seq = options.firstSeq ?? 1;
    this.attemptTimeoutMs = options.attemptTimeoutMs ?? 1000;
    this.retryDelayMs = options.retryDelayMs ?? 50;
    this.replyQuorum = options.replyQuorum ?? 1;
    this.seal = options.seal;
    this.replies = options.replies;
    // The first request goes to the first address; after that, to the last node that answered.
    this.roundRobin = -1;
  }

  /** The sequence number the next request will carry. */
  get nextSeq(): number {
    return this.seq;
  }

  /**
   * Send one command and wait for its outcome, retrying until `timeoutMs` has passed. A timeout
   * does not mean the command failed: it may still take effect.
   */
  async request(command: Cmd, timeoutMs: number): Promise<ClientOutcome<Res>> {
    if (this.closed) throw new Error("ClusterClient: closed");
    if (this.busy) throw new Error("ClusterClient: one request at a time (use several clients for concurrency)");
    this.busy = true;
    const seq = this.seq++;
    const deadline = Date.now() + timeoutMs;
    const unsealed = { clientId: this.clientId, seq, command: command as unknown };
    const sealed = this.seal === undefined ? unsealed : this.seal(unsealed);
    const frame = encodeFrame({ type: "request", ...sealed });
    if (this.replyQuorum > 1 || this.replies !== undefined) {
      try {
        return await this.requestQuorum(seq, frame, deadline);
      } finally {
        this.busy = false;
      }
    }
    let attempts = 0;
    let lastProblem = "no node answered";
    let target = this.leader ?? this.nextAddress();
    try {
      this.connectAll();
      while (Date.now() < deadline && !this.closed) {
        if (this.misconfigured !== null) return { status: "misconfigured", detail: this.misconfigured, attempts };
        attempts++;
        const remainingMs = deadline - Date.now();
        const conn = await this.connection(target, Math.min(remainingMs, this.attemptTimeoutMs));
        if (!conn) {
          lastProblem = `cannot connect to ${target}`;
          target = this.nextAddress();
          await sleep(Math.min(this.retryDelayMs, Math.max(0, deadline - Date.now())));
          continue;
        }
        const result = await this.attempt(conn, seq, frame, Math.min(deadline - Date.now(), this.attemptTimeoutMs));
        switch (result.kind) {
          case "reply": {
            const reply = result.reply;
            if (reply.ok) {
              this.leader = target;
              return { status: "ok", result: reply.result, attempts, nodeId: conn.nodeId };
            }
            switch (reply.error) {
              case "rejected":
                return { status: "rejected", detail: reply.detail ?? "rejected", attempts };
              case "not-leader": {
                lastProblem = `${target} is not the leader`;
                // The node's own word for where its leader takes requests comes first: the cluster
                // list may hold only this follower, or stale addresses.
                const hinted = reply.leaderHint !== undefined ? (result.leaderAddress ?? this.addressOfNode.get(reply.leaderHint)) : undefined;
                if (hinted !== undefined && hinted !== target) {
                  target = hinted;
                } else {
                  this.leader = null;
                  target = this.nextAddress();
                  await sleep(this.retryDelayMs);
                }
                break;
              }
              case "unavailable":
                lastProblem = `${target}: unavailable${reply.detail ? ` (${reply.detail})` : ""}`;
                await sleep(this.retryDelayMs);
                break;
              default: {
                const never: never = reply.error;
                throw new Error(`unknown error ${String(never)}`);
              }
            }
            break;
          }
          case "timeout":
            lastProblem = `${target} did not answer within ${this.attemptTimeoutMs} ms`;
            this.leader = null;
            target = this.nextAddress();
            break;
          case "closed":
            lastProblem = `${target} closed the connection`;
            this.leader = null;
            target = this.nextAddress();
            await sleep(this.retryDelayMs);
            break;
          default: {
            const never: never = result;
            throw new Error(`unknown attempt result ${JSON.stringify(never)}`);
          }
        }
      }
      if (this.misconfigured !== null) return { status: "misconfigured", detail: this.misconfigured, attempts };
      return { status: "timeout", lastProblem, attempts };
    } finally {
      this.busy = false;
    }
  }

  /**
   * Quorum mode: send the request to every node, again after each attempt timeout, until
   * `replyQuorum` distinct nodes sent the same answer or the deadline passes.
   */
  private async requestQuorum(seq: number, frame: Buffer, deadline: number): Promise<ClientOutcome<Res>> {
    let attempts = 0;
    const outcome: { decided: ClientReply<Res> | null } = { decided: null };
    const done = new Promise<ClientReply<Res>>((resolve) => {
      this.votes = { seq, byAnswer: new Map(), rule: this.replies?.() ?? null, resolve };
    });
    void done.then((r) => {
      outcome.decided = r;
    });
    try {
      while (Date.now() < deadline && !this.closed && outcome.decided === null) {
        attempts++;
        const conns = await Promise.all(this.cluster.map((a) => this.connection(formatAddress(a), Math.min(this.attemptTimeoutMs, Math.max(0, deadline - Date.now())))));
        for (const c of conns) if (c !== null && c.open) c.socket.write(frame);
        const waitMs = Math.min(this.attemptTimeoutMs, Math.max(0, deadline - Date.now()));
        await Promise.race([done, sleep(waitMs)]);
      }
      const r = outcome.decided;
      if (r === null) {
        const rejected = this.repliesRejected > 0 ? `; ${this.repliesRejected} replies rejected (last: ${this.lastRejection})` : "";
        const rule = this.votes?.rule ? "the replies did not make a final answer" : `fewer than ${this.replyQuorum} nodes sent the same answer`;
        return { status: "timeout", lastProblem: `${rule}${rejected}`, attempts };
      }
      if (r.ok) return { status: "ok", result: r.result, attempts, nodeId: null };
      return { status: "rejected", detail: r.detail ?? r.error, attempts };
    } finally {
      this.votes = null;
    }
  }

  /** Close every connection. */
  close(): void {
    this.closed = true;
    for (const conn of this.connections.values()) conn.socket.destroy();
    this.connections.clear();
    this.waiter?.resolve({ kind: "closed" });
  }

  private nextAddress(): string {
    this.roundRobin = (this.roundRobin + 1) % this.cluster.length;
    return formatAddress(this.cluster[this.roundRobin]!);
  }

  private attempt(conn: Connection, seq: number, frame: Buffer, waitMs: number): Promise<AttemptResult<Res>> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish({ kind: "timeout" }), Math.max(0, waitMs));
      const onClose = (): void => finish({ kind: "closed" });
      const finish = (r: AttemptResult<Res>): void => {
        clearTimeout(timer);
        conn.socket.off("close", onClose);
        this.waiter = null;
        resolve(r);
      };
      // A reply for this seq from any node counts: retries share the seq, so they share the outcome.
      this.waiter = { seq, resolve: finish };
      conn.socket.once("close", onClose);
      conn.socket.write(frame);
    });
  }

  /** Dial every node (to learn its id for leader hints), but not one that failed just now. */
  private connectAll(): void {
    const now = Date.now();
    for (const a of this.cluster) {
      const address = formatAddress(a);
      if ((this.failedAtMs.get(address) ?? -Infinity) > now - 250) continue;
      void this.connection(address, this.attemptTimeoutMs);
    }
  }

  private connection(address: string, waitMs: number): Promise<Connection | null> {
    const existing = this.connections.get(address);
    if (existing && existing.open) return Promise.resolve(existing);
    if (existing && !existing.socket.destroyed && !existing.socket.connecting) existing.socket.destroy();
    return new Promise((resolve) => {
      let conn = existing && existing.socket.connecting ? existing : undefined;
      if (!conn) {
        const [host, port] = splitAddress(address);
        const socket = net.connect({ host, port });
        socket.setNoDelay(true);
        const created: Connection = { socket, nodeId: null, open: false };
        conn = created;
        this.connections.set(address, created);
        const decoder = new FrameDecoder();
        socket.on("connect", () => {
          created.open = true;
          this.failedAtMs.delete(address);
        });
        socket.on("data", (chunk: Buffer) => {
          let frames: unknown[];
          try {
            frames = decoder.push(chunk);
          } catch {
            socket.destroy();
            return;
          }
          for (const f of frames) this.onFrame(address, created, f);
        });
        socket.on("error", () => {});
        socket.on("close", () => {
          if (!created.open) this.failedAtMs.set(address, Date.now());
          created.open = false;
          if (this.connections.get(address) === created) this.connections.delete(address);
        });
      }
      const c = conn;
      const timer = setTimeout(() => done(null), Math.max(0, waitMs));
      const onConnect = (): void => done(c);
      const onClose = (): void => done(null);
      const done = (r: Connection | null): void => {
        clearTimeout(timer);
        c.socket.off("connect", onConnect);
        c.socket.off("close", onClose);
        resolve(r);
      };
      c.socket.once("connect", onConnect);
      c.socket.once("close", onClose);
    });
  }

  private onFrame(address: string, conn: Connection, frame: unknown): void {
    const f = frame as { type?: unknown; nodeId?: unknown; reply?: ClientReply<Res>; leaderAddress?: unknown };
    if (typeof f !== "object" || f === null) return;
    if (f.type === "hello" && typeof f.nodeId === "string") {
      conn.nodeId = f.nodeId;
      this.addressOfNode.set(f.nodeId, address);
      const hello = f as { protocol?: unknown; clientPolicy?: unknown };
      if (hello.clientPolicy === true && this.seal === undefined && this.replies === undefined && this.replyQuorum <= 1) {
        const protocol = typeof hello.protocol === "string" ? hello.protocol : "its protocol";
        this.misconfigured = `node ${f.nodeId} serves ${protocol}, whose clients sign their requests and check the replies: pass --protocol ${protocol} (with the --protocol-options it asks for)`;
        // Fail now rather than after the attempt's timeout: nothing this client sends can be accepted.
        this.waiter?.resolve({ kind: "closed" });
      }
      return;
    }
    if (f.type === "reply" && f.reply && f.reply.clientId === this.clientId && this.votes !== null && f.reply.seq === this.votes.seq && this.votes.rule !== null) {
      const verdict = this.votes.rule.offer(conn.nodeId ?? address, f.reply as ClientReply<unknown>);
      if (verdict.type === "reject") {
        this.repliesRejected++;
        this.lastRejection = `${conn.nodeId ?? address}: ${verdict.reason}`;
      } else if (verdict.type === "accept") {
        this.votes.resolve(verdict.reply as ClientReply<Res>);
      }
      return;
    }
    if (f.type === "reply" && f.reply && f.reply.clientId === this.clientId && this.votes !== null && f.reply.seq === this.votes.seq) {
      // Quorum mode: an answer counts once per node; not-leader and unavailable answers are no answers.
      if (!f.reply.ok && f.reply.error !== "rejected") return;
      const key = JSON.stringify(f.reply.ok ? { ok: true, result: f.reply.result } : { ok: false, error: f.reply.error });
      let from = this.votes.byAnswer.get(key);
      if (from === undefined) {
        from = new Set();
        this.votes.byAnswer.set(key, from);
      }
      from.add(conn.nodeId ?? address);
      if (from.size >= this.replyQuorum) this.votes.resolve(f.reply);
      return;
    }
    if (f.type === "reply" && f.reply && f.reply.clientId === this.clientId && this.waiter && f.reply.seq === this.waiter.seq) {
      const leaderAddress = typeof f.leaderAddress === "string" && isAddress(f.leaderAddress) ? f.leaderAddress : undefined;
      this.waiter.resolve({ kind: "reply", reply: f.reply, ...(leaderAddress !== undefined ? { leaderAddress } : {}) });
    }
  }
}

function isAddress(text: string): boolean {
  try {
    parseAddress(text);
    return true;
  } catch {
    return false;
  }
}

function splitAddress(address: string): [string, number] {
  const i = address.lastIndexOf(":");
  return [address.slice(0, i).replace(/^\[|\]$/g, ""), Number(address.slice(i + 1))];
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
