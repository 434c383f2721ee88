/**
 * A stand-in for Jepsen Maelstrom (which cannot be built here), written from its documented
 * protocol (doc/protocol.md, doc/workloads.md): {@link MaelstromNet} spawns node processes, sends
 * each `init`, and routes the newline-delimited JSON messages between them through a network with
 * delays, drops and partitions; {@link runLinKv} runs concurrent `lin-kv` clients against random
 * nodes on it and records the history as Maelstrom would, reading definite errors as "did not
 * happen" (`fail`) and indefinite ones and timeouts as "unknown" (`info`). Everything random is
 * drawn from one seed.
 *
 * It also checks the protocol as Maelstrom does: every line a node prints to stdout must be a
 * message from that node, every reply must answer a request sent to it, and error codes must be
 * Maelstrom's.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import readline from "node:readline";
import type { HistoryEvent } from "@synod/lincheck";
import type { Rng } from "@synod/protocol";
import { errorByCode } from "../src/maelstrom/errors.js";
import { seededRng } from "../src/host/rng.js";
import { SYNOD_BIN } from "./processes.js";

/** A message body. */
export interface Body {
  type: string;
  msg_id?: number;
  in_reply_to?: number;
  [k: string]: unknown;
}

/** The network and the nodes. */
export interface NetOptions {
  seed: number;
  /** Node processes (n1..nN). */
  nodes: number;
  /** One-way delay of each node-to-node message, uniform in [min, max]. */
  latencyMs: [number, number];
  /** Probability that a node-to-node message is lost. */
  dropProbability: number;
  /** The protocol the nodes run (`synod maelstrom <protocol>`; default raft). */
  protocol?: string;
  /** Extra arguments for `synod maelstrom <protocol>`. */
  nodeArgs: string[];
}

interface NodeProc {
  id: string;
  child: ChildProcessWithoutNullStreams;
  stderr: string;
  exited: Promise<number | null>;
}

/** Node processes on a simulated network, as Maelstrom runs them. */
export class MaelstromNet {
  readonly ids: string[];
  readonly rng: Rng;
  /** Protocol violations seen on the nodes' stdout (should be none). */
  readonly violations: string[] = [];
  /** Node-to-node messages delivered, dropped at random, and cut by a partition. */
  readonly network = { delivered: 0, dropped: 0, cut: 0 };
  private readonly procs: NodeProc[];
  private readonly byId: Map<string, NodeProc>;
  /** Which side of the current partition each node is on (all 0 when healed). */
  private readonly side: Map<string, number>;
  private readonly waiting = new Map<string, (body: Body) => void>();
  private readonly late = new Set<string>();
  private readonly sent = new Set<string>();
  private readonly clientMsgIds = new Map<string, number>();

  private constructor(private readonly o: NetOptions) {
    this.rng = seededRng(o.seed);
    this.ids = Array.from({ length: o.nodes }, (_, i) => `n${i + 1}`);
    this.side = new Map(this.ids.map((id) => [id, 0]));
    this.procs = this.ids.map((id, i) => {
      const child = spawn(process.execPath, [SYNOD_BIN, "maelstrom", o.protocol ?? "raft", "--seed", String(o.seed + i), ...o.nodeArgs], { stdio: ["pipe", "pipe", "pipe"] });
      const p: NodeProc = { id, child, stderr: "", exited: new Promise((resolve) => child.on("exit", (code) => resolve(code))) };
      child.stderr.on("data", (d: Buffer) => (p.stderr += d.toString()));
      child.stdin.on("error", () => {});
      readline.createInterface({ input: child.stdout, crlfDelay: Infinity }).on("line", (line) => this.fromNode(p, line));
      return p;
    });
    this.byId = new Map(this.procs.map((p) => [p.id, p]));
  }

  /** Spawn the nodes and initialise them (throws, with the node's stderr, if one does not answer `init_ok`). */
  static async start(o: NetOptions): Promise<MaelstromNet> {
    const net = new MaelstromNet(o);
    try {
      const inits = await Promise.all(net.ids.map((id) => net.rpc("c0", id, { type: "init", node_id: id, node_ids: net.ids }, 10_000)));
      inits.forEach((r, i) => {
        if (r?.type !== "init_ok") throw new Error(`${net.ids[i]} did not answer init_ok: ${JSON.stringify(r)}\n${net.procs[i]!.stderr}`);
      });
    } catch (err) {
      await net.stop();
      throw err;
    }
    return net;
  }

  /** Each node's stderr so far. */
  get stderr(): string[] {
    return this.procs.map((p) => p.stderr);
  }

  /** Send `body` from `client` to `node` and wait for the reply (null: none within `timeoutMs`). */
  rpc(client: string, node: string, body: Omit<Body, "msg_id">, timeoutMs: number): Promise<Body | null> {
    const msgId = (this.clientMsgIds.get(client) ?? 0) + 1;
    this.clientMsgIds.set(client, msgId);
    const key = `${client}\u0000${msgId}`;
    this.sent.add(`${node}\u0000${key}`);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(key);
        this.late.add(key);
        resolve(null);
      }, timeoutMs);
      this.waiting.set(key, (reply) => {
        clearTimeout(timer);
        this.waiting.delete(key);
        resolve(reply);
      });
      this.deliver(node, { src: client, dest: node, body: { ...body, msg_id: msgId } });
    });
  }

  /** Cut the network between `minority` and everyone else (node-to-node only, as Maelstrom's partitions). */
  partition(minority: readonly string[]): void {
    for (const id of this.ids) this.side.set(id, minority.includes(id) ? 1 : 0);
  }

  /** Heal every partition. */
  heal(): void {
    for (const id of this.ids) this.side.set(id, 0);
  }

  /** Close every node's stdin (a node exits 0 then) and wait; SIGKILL after 5 s. The exit codes. */
  async stop(): Promise<(number | null)[]> {
    for (const p of this.procs) p.child.stdin.end();
    const killer = setTimeout(() => this.procs.forEach((p) => p.child.kill("SIGKILL")), 5000);
    const codes = await Promise.all(this.procs.map((p) => p.exited));
    clearTimeout(killer);
    return codes;
  }

  private deliver(to: string, message: unknown): void {
    const p = this.byId.get(to);
    if (p && p.child.exitCode === null && !p.child.stdin.destroyed) p.child.stdin.write(`${JSON.stringify(message)}\n`);
  }

  private fromNode(p: NodeProc, line: string): void {
    let m: { src?: unknown; dest?: unknown; body?: Body };
    try {
      m = JSON.parse(line) as typeof m;
    } catch {
      this.violations.push(`${p.id} printed a line that is not JSON: ${line.slice(0, 200)}`);
      return;
    }
    if (m.src !== p.id) this.violations.push(`${p.id} sent a message with src ${JSON.stringify(m.src)}`);
    if (typeof m.dest !== "string" || typeof m.body !== "object" || m.body === null || typeof m.body.type !== "string") {
      this.violations.push(`${p.id} sent a malformed message: ${line.slice(0, 200)}`);
      return;
    }
    const dest = m.dest;
    const body = m.body;
    if (body.type === "error" && errorByCode(body["code"] as number) === undefined) this.violations.push(`${p.id} sent an unknown error code ${String(body["code"])}`);
    if (this.byId.has(dest)) {
      if (this.side.get(p.id) !== this.side.get(dest)) {
        this.network.cut++;
        return;
      }
      if (this.rng.nextFloat() < this.o.dropProbability) {
        this.network.dropped++;
        return;
      }
      this.network.delivered++;
      setTimeout(() => this.deliver(dest, m), this.rng.nextInt(this.o.latencyMs[0], this.o.latencyMs[1]));
      return;
    }
    // To a client: a reply, from the node the request went to.
    if (body.in_reply_to === undefined) {
      this.violations.push(`${p.id} sent ${body.type} to client ${dest} without in_reply_to`);
      return;
    }
    const key = `${dest}\u0000${body.in_reply_to}`;
    if (!this.sent.has(`${p.id}\u0000${key}`)) {
      this.violations.push(`${p.id} replied to ${dest}'s msg_id ${body.in_reply_to}, which was not sent to it`);
      return;
    }
    const resolve = this.waiting.get(key);
    // A reply after the client gave up is legal: Maelstrom drops it.
    if (resolve !== undefined) resolve(body);
    else if (!this.late.has(key)) this.violations.push(`${p.id} answered ${dest}'s msg_id ${body.in_reply_to} twice`);
  }
}

/** A lin-kv run. */
export interface LinKvOptions extends NetOptions {
  /** Concurrent clients (c1..cK), each one operation at a time, as Maelstrom's. */
  clients: number;
  /** How long the clients run. */
  durationMs: number;
  /** Keys the clients use (small, so operations contend). */
  keys: number;
  /** Cut a random minority off every so often (and heal in between). */
  partitions: boolean;
  /** A client gives up on a request after this long (recorded as `info`). */
  clientTimeoutMs: number;
}

/** What a lin-kv run produced. */
export interface LinKvResult {
  history: HistoryEvent[];
  violations: string[];
  /** Completions by kind, e.g. `ok`, `fail 11`, `info 0`, `info timeout`. */
  outcomes: Record<string, number>;
  network: { delivered: number; dropped: number; cut: number };
  /** Exit codes of the nodes after their stdin closed. */
  exitCodes: (number | null)[];
  stderr: string[];
}

/**
 * Record one lin-kv operation's completion as Maelstrom reads it: the observations definite errors
 * make (a `read` of an absent key sees null; a `cas` answered 20 or 22 did not swap) are `ok`;
 * other definite errors, and any failed `read`, are `fail`; indefinite errors and silence `info`.
 */
export function completion(op: Body, reply: Body | null): { type: "ok" | "fail" | "info"; value: HistoryEvent["value"]; kind: string } {
  if (reply === null) return { type: op.type === "read" ? "fail" : "info", value: null, kind: "info timeout" };
  if (reply.type === `${op.type}_ok`) return { type: "ok", value: op.type === "read" ? (reply["value"] as HistoryEvent["value"]) : op.type === "cas" ? true : null, kind: "ok" };
  if (reply.type !== "error") return { type: "info", value: null, kind: `info unexpected ${reply.type}` };
  const code = reply["code"] as number;
  if (op.type === "read" && code === 20) return { type: "ok", value: null, kind: "ok (absent)" };
  if (op.type === "cas" && (code === 20 || code === 22)) return { type: "ok", value: false, kind: `ok (cas ${code})` };
  if (op.type === "read" || errorByCode(code)?.definite === true) return { type: "fail", value: null, kind: `fail ${code}` };
  return { type: "info", value: null, kind: `info ${code}` };
}

/** The history's `f` and invocation value of a lin-kv request. */
export function invocation(op: Body): { f: string; value: HistoryEvent["value"] } {
  if (op.type === "read") return { f: "get", value: null };
  if (op.type === "write") return { f: "put", value: op["value"] as HistoryEvent["value"] };
  return { f: "cas", value: [op["from"] as HistoryEvent["value"], op["to"] as HistoryEvent["value"]] };
}

/** Run a lin-kv test; the caller judges `history` with lincheck. */
export async function runLinKv(o: LinKvOptions): Promise<LinKvResult> {
  const net = await MaelstromNet.start(o);
  const rng = net.rng;
  const outcomes: Record<string, number> = {};
  const history: HistoryEvent[] = [];
  let exitCodes: (number | null)[] = [];
  try {
    const deadline = Date.now() + o.durationMs;
    // As in Jepsen, a process whose operation ended in `info` may still have it in flight: the
    // client goes on under a fresh process number.
    let nextProcess = o.clients + 1;
    const runClient = async (n: number): Promise<void> => {
      let proc = n;
      while (Date.now() < deadline) {
        const key = rng.nextInt(0, o.keys - 1);
        const node = net.ids[rng.nextInt(0, net.ids.length - 1)]!;
        const dice = rng.nextFloat();
        const op: Body = dice < 0.4 ? { type: "read", key } : dice < 0.7 ? { type: "write", key, value: rng.nextInt(0, 4) } : { type: "cas", key, from: rng.nextInt(0, 4), to: rng.nextInt(0, 4) };
        const { f, value } = invocation(op);
        history.push({ process: proc, type: "invoke", f, key: String(key), value });
        const reply = await net.rpc(`c${n}`, node, op, o.clientTimeoutMs);
        const done = completion(op, reply);
        outcomes[done.kind] = (outcomes[done.kind] ?? 0) + 1;
        history.push({ process: proc, type: done.type, f, key: String(key), value: done.value });
        if (done.type === "info") proc = nextProcess++;
      }
    };
    const nemesis = o.partitions ? runNemesis(net, deadline) : Promise.resolve();
    await Promise.all([nemesis, ...Array.from({ length: o.clients }, (_, i) => runClient(i + 1))]);
  } finally {
    exitCodes = await net.stop();
  }
  return { history, violations: net.violations, outcomes, network: net.network, exitCodes, stderr: net.stderr };
}

/** Partition and heal in turns until `deadline`: a random minority cut off about half the time; the run ends healed. */
async function runNemesis(net: MaelstromNet, deadline: number): Promise<void> {
  const { rng, ids } = net;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  while (Date.now() < deadline) {
    await sleep(Math.min(rng.nextInt(800, 1600), Math.max(0, deadline - Date.now())));
    if (Date.now() >= deadline) break;
    const shuffled = [...ids];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = rng.nextInt(0, i);
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    net.partition(shuffled.slice(0, rng.nextInt(1, Math.floor(ids.length / 2))));
    await sleep(Math.min(rng.nextInt(800, 1600), Math.max(0, deadline - Date.now())));
    net.heal();
  }
  net.heal();
}
