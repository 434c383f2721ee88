/**
 * A stand-in for Jepsen Maelstrom (which cannot be built here), written from its documented
 * protocol (doc/protocol.md, doc/workloads.md): it spawns node processes, sends each `init`, routes
 * the newline-delimited JSON messages between them through a network with delays, drops and
 * partitions, runs concurrent `lin-kv` clients against random nodes, and records the history as
 * Maelstrom would, reading definite errors as "did not happen" (`fail`) and indefinite ones and
 * timeouts as "unknown" (`info`). Everything random is drawn from one seed.
 *
 * It also checks the protocol as Maelstrom does: every line a node prints to stdout must be a
 * message from that node, every reply must answer an outstanding request, and error codes must be
 * Maelstrom's.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import readline from "node:readline";
import type { HistoryEvent } from "@synod/lincheck";
import type { Rng } from "@synod/protocol";
import { errorByCode } from "../src/maelstrom/errors.js";
import { seededRng } from "../src/host/rng.js";
import { SYNOD_BIN } from "./processes.js";

/** What a run looks like. */
export interface DriverOptions {
  seed: number;
  /** Node processes (n1..nN). */
  nodes: number;
  /** Concurrent clients (c1..cK), each one operation at a time, as Maelstrom's. */
  clients: number;
  /** How long the clients run. */
  durationMs: number;
  /** Keys the clients use (small, so operations contend). */
  keys: number;
  /** One-way delay of each node-to-node message, uniform in [min, max]. */
  latencyMs: [number, number];
  /** Probability that a node-to-node message is lost. */
  dropProbability: number;
  /** Split the nodes into two sides every so often (and heal in between). */
  partitions: boolean;
  /** A client gives up on a request after this long (recorded as `info`). */
  clientTimeoutMs: number;
  /** Extra arguments for `synod maelstrom raft`. */
  nodeArgs: string[];
}

/** What a run produced. */
export interface DriverResult {
  history: HistoryEvent[];
  /** Protocol violations seen on the nodes' stdout (should be none). */
  violations: string[];
  /** Completions by kind, e.g. `ok`, `fail 11`, `info 0`, `info timeout`. */
  outcomes: Record<string, number>;
  /** Messages the network carried, dropped and cut. */
  network: { delivered: number; dropped: number; cut: number };
  /** Exit codes of the nodes after their stdin closed. */
  exitCodes: (number | null)[];
  /** Each node's stderr. */
  stderr: string[];
}

interface NodeProc {
  id: string;
  child: ChildProcessWithoutNullStreams;
  stderr: string;
  exited: Promise<number | null>;
}

interface Body {
  type: string;
  msg_id?: number;
  in_reply_to?: number;
  [k: string]: unknown;
}

/** Run a lin-kv test; the caller judges `history` with lincheck. */
export async function runLinKv(o: DriverOptions): Promise<DriverResult> {
  const rng = seededRng(o.seed);
  const ids = Array.from({ length: o.nodes }, (_, i) => `n${i + 1}`);
  const violations: string[] = [];
  const outcomes: Record<string, number> = {};
  const network = { delivered: 0, dropped: 0, cut: 0 };
  const history: HistoryEvent[] = [];
  /** Which side of the current partition each node is on (all 0 when healed). */
  const side = new Map(ids.map((id) => [id, 0]));
  /** Outstanding requests by `client \0 msg_id`. */
  const waiting = new Map<string, (body: Body) => void>();
  const procs: NodeProc[] = ids.map((id, i) => {
    const child = spawn(process.execPath, [SYNOD_BIN, "maelstrom", "raft", "--seed", String(o.seed + i), ...o.nodeArgs], { stdio: ["pipe", "pipe", "pipe"] });
    const p: NodeProc = { id, child, stderr: "", exited: new Promise((resolve) => child.on("exit", (code) => resolve(code))) };
    child.stderr.on("data", (d: Buffer) => (p.stderr += d.toString()));
    child.stdin.on("error", () => {});
    readline.createInterface({ input: child.stdout, crlfDelay: Infinity }).on("line", (line) => fromNode(p, line));
    return p;
  });
  const byId = new Map(procs.map((p) => [p.id, p]));
  const deliver = (to: string, message: unknown): void => {
    const p = byId.get(to);
    if (p && p.child.exitCode === null && !p.child.stdin.destroyed) p.child.stdin.write(`${JSON.stringify(message)}\n`);
  };

  function fromNode(p: NodeProc, line: string): void {
    let m: { src?: unknown; dest?: unknown; body?: Body };
    try {
      m = JSON.parse(line) as typeof m;
    } catch {
      violations.push(`${p.id} printed a line that is not JSON: ${line.slice(0, 200)}`);
      return;
    }
    if (m.src !== p.id) violations.push(`${p.id} sent a message with src ${JSON.stringify(m.src)}`);
    if (typeof m.dest !== "string" || typeof m.body !== "object" || m.body === null || typeof m.body.type !== "string") {
      violations.push(`${p.id} sent a malformed message: ${line.slice(0, 200)}`);
      return;
    }
    const dest = m.dest;
    const body = m.body;
    if (body.type === "error" && errorByCode(body["code"] as number) === undefined) violations.push(`${p.id} sent an unknown error code ${String(body["code"])}`);
    if (byId.has(dest)) {
      // Node to node: through the faulty network.
      if (side.get(p.id) !== side.get(dest)) {
        network.cut++;
        return;
      }
      if (rng.nextFloat() < o.dropProbability) {
        network.dropped++;
        return;
      }
      network.delivered++;
      setTimeout(() => deliver(dest, m), rng.nextInt(o.latencyMs[0], o.latencyMs[1]));
      return;
    }
    // To a client: a reply.
    if (body.in_reply_to === undefined) {
      violations.push(`${p.id} sent ${body.type} to client ${dest} without in_reply_to`);
      return;
    }
    const resolve = waiting.get(`${dest}\u0000${body.in_reply_to}`);
    if (resolve === undefined) {
      // Replies after the client gave up are legal (Maelstrom drops them); anything else is not.
      if (!late.has(`${dest}\u0000${body.in_reply_to}`)) violations.push(`${p.id} replied to ${dest}'s msg_id ${body.in_reply_to}, which was never sent to it`);
      return;
    }
    resolve(body);
  }
  const late = new Set<string>();
  const clientMsgIds = new Map<string, number>();

  /** Send `body` from `client` to `node` and wait for the reply (null: timed out). */
  const rpc = (client: string, node: string, body: Body, timeoutMs: number): Promise<Body | null> => {
    const msgId = (clientMsgIds.get(client) ?? 0) + 1;
    clientMsgIds.set(client, msgId);
    const key = `${client}\u0000${msgId}`;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        waiting.delete(key);
        late.add(key);
        resolve(null);
      }, timeoutMs);
      waiting.set(key, (reply) => {
        clearTimeout(timer);
        waiting.delete(key);
        resolve(reply);
      });
      deliver(node, { src: client, dest: node, body: { ...body, msg_id: msgId } });
    });
  };

  let exitCodes: (number | null)[] = [];
  try {
    const inits = await Promise.all(ids.map((id) => rpc("c0", id, { type: "init", node_id: id, node_ids: ids }, 10_000)));
    inits.forEach((r, i) => {
      if (r?.type !== "init_ok") throw new Error(`${ids[i]} did not answer init_ok: ${JSON.stringify(r)}\n${procs[i]!.stderr}`);
    });
    const deadline = Date.now() + o.durationMs;
    // As in Jepsen, a process whose operation ended in `info` may still have it in flight: the
    // client goes on under a fresh process number.
    let nextProcess = o.clients + 1;
    const nemesis = o.partitions ? runNemesis(rng, ids, side, deadline) : Promise.resolve();
    const clients = Array.from({ length: o.clients }, (_, i) => runClient(i + 1));
    await Promise.all([nemesis, ...clients]);

    async function runClient(n: number): Promise<void> {
      const client = `c${n}`;
      let proc = n;
      while (Date.now() < deadline) {
        const key = rng.nextInt(0, o.keys - 1);
        const node = ids[rng.nextInt(0, ids.length - 1)]!;
        const dice = rng.nextFloat();
        const op: Body =
          dice < 0.4 ? { type: "read", key } : dice < 0.7 ? { type: "write", key, value: rng.nextInt(0, 4) } : { type: "cas", key, from: rng.nextInt(0, 4), to: rng.nextInt(0, 4) };
        const f = op.type === "read" ? "get" : op.type === "write" ? "put" : "cas";
        const invokeValue = op.type === "read" ? null : op.type === "write" ? (op["value"] as number) : [op["from"] as number, op["to"] as number];
        history.push({ process: proc, type: "invoke", f, key: String(key), value: invokeValue });
        const reply = await rpc(client, node, op, o.clientTimeoutMs);
        const done = (type: "ok" | "fail" | "info", value: HistoryEvent["value"], kind: string): void => {
          outcomes[kind] = (outcomes[kind] ?? 0) + 1;
          history.push({ process: proc, type, f, key: String(key), value });
          if (type === "info") proc = nextProcess++;
        };
        if (reply === null) {
          done(op.type === "read" ? "fail" : "info", null, "info timeout");
          continue;
        }
        const expected = `${op.type}_ok`;
        if (reply.type === expected) {
          done("ok", op.type === "read" ? (reply["value"] as number) : op.type === "cas" ? true : null, "ok");
          continue;
        }
        if (reply.type !== "error") {
          violations.push(`${node} answered ${op.type} with ${reply.type}`);
          done("info", null, "info bad reply");
          continue;
        }
        const code = reply["code"] as number;
        const kind = errorByCode(code);
        // The observations a definite error makes: the key is absent, or holds something else.
        if (op.type === "read" && code === 20) done("ok", null, "ok (absent)");
        else if (op.type === "cas" && (code === 20 || code === 22)) done("ok", false, `ok (cas ${code})`);
        else if (op.type === "read" || kind?.definite === true) done("fail", null, `fail ${code}${process.env.DEBUG_TEXT ? ` ${String(reply["text"])}` : ""}`);
        else done("info", null, `info ${code}`);
      }
    }
  } finally {
    for (const p of procs) p.child.stdin.end();
    const killer = setTimeout(() => procs.forEach((p) => p.child.kill("SIGKILL")), 5000);
    exitCodes = await Promise.all(procs.map((p) => p.exited));
    clearTimeout(killer);
  }
  return { history, violations, outcomes, network, exitCodes, stderr: procs.map((p) => p.stderr) };
}

/** Partition and heal in turns until `deadline`: half the time split, half healed; the run ends healed. */
async function runNemesis(rng: Rng, ids: readonly string[], side: Map<string, number>, deadline: number): Promise<void> {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  while (Date.now() < deadline) {
    await sleep(Math.min(rng.nextInt(800, 1600), Math.max(0, deadline - Date.now())));
    if (Date.now() >= deadline) break;
    // A random minority (one node, or up to half) goes to side 1.
    const shuffled = [...ids];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = rng.nextInt(0, i);
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    const minority = shuffled.slice(0, rng.nextInt(1, Math.floor(ids.length / 2)));
    for (const id of ids) side.set(id, minority.includes(id) ? 1 : 0);
    await sleep(Math.min(rng.nextInt(800, 1600), Math.max(0, deadline - Date.now())));
    for (const id of ids) side.set(id, 0);
  }
  for (const id of ids) side.set(id, 0);
}
