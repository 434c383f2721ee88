/**
 * What the side-by-side run records and reports, with no server involved: the history recorder
 * (lincheck JSON, Jepsen's semantics), the parser of the BFT-SMaRt bridge's answer lines, and the
 * figures taken from a finished run (throughput, latency percentiles, recovery after the kill).
 *
 * @module
 */
import { percentile } from "@synod/rival-common/history";

/**
 * Records one history in lincheck's JSON format: an `invoke` per operation, then `ok` (the
 * answer), `fail` (certainly no effect) or `info` (unknown outcome: it may take effect at any
 * later time). A process with an `info` operation never issues another one (Jepsen's rule): the
 * recorder hands out a fresh process number for that client instead.
 */
export class HistoryRecorder {
  /** @param {number} clients the number of logical clients; process numbers start at their index */
  constructor(clients) {
    /** @type {object[]} */
    this.events = [];
    /** @type {{client: number, f: string, key: string, invokedMs: number, completedMs: number | null, type: string}[]} */
    this.ops = [];
    this.clients = clients;
    this.process = Array.from({ length: clients }, (_, c) => c);
    this.open = new Map();
  }

  /**
   * An operation begins. `f` is `put` or `get`; `value` the put's value (null for a get).
   * @returns {number} the operation's handle for {@link HistoryRecorder.complete}
   */
  invoke(client, f, key, value, nowMs) {
    if (this.open.has(client)) throw new Error(`history: client ${client} invoked while its operation ${this.open.get(client)} is open`);
    const id = this.ops.length;
    this.ops.push({ client, f, key, invokedMs: nowMs, completedMs: null, type: "open" });
    this.open.set(client, id);
    this.events.push({ process: this.process[client], type: "invoke", f, key, value: f === "put" ? value : null, time: Math.round(nowMs * 1e6) });
    return id;
  }

  /**
   * The operation ended: `type` is `ok` (with `value`, a get's answer, null for a missing key),
   * `fail` or `info`.
   */
  complete(id, type, value, nowMs) {
    const op = this.ops[id];
    if (op === undefined || op.type !== "open") throw new Error(`history: operation ${id} is not open`);
    if (!["ok", "fail", "info"].includes(type)) throw new Error(`history: unknown completion type ${type}`);
    op.type = type;
    op.completedMs = nowMs;
    this.open.delete(op.client);
    const event = { process: this.process[op.client], type, f: op.f, key: op.key, time: Math.round(nowMs * 1e6) };
    if (type === "ok") event.value = op.f === "get" ? value : null;
    this.events.push(event);
    // Jepsen: an info operation stays open forever, so its process is retired.
    if (type === "info") this.process[op.client] += this.clients;
  }

  /** The history as lincheck JSON text (one event per line, in the order they happened). */
  toJson() {
    return `[\n${this.events.map((e) => JSON.stringify(e)).join(",\n")}\n]\n`;
  }
}

/**
 * One stdout line of the Java bridge. Its answers carry the tag `SYNOD `: `<req> ok <value>|-`,
 * `<req> timeout`, `<req> error <text>`, `ready <clients>`; any other line is BFT-SMaRt's own log
 * (kind `log`).
 * @returns {{req: string, kind: "ok", value: string | null} | {req: string, kind: "timeout"} | {req: string, kind: "error", message: string} | {kind: "ready", clients: number} | {kind: "log", line: string}}
 */
export function parseBridgeLine(text) {
  if (!text.startsWith("SYNOD ")) return { kind: "log", line: text };
  const line = text.slice("SYNOD ".length);
  const ready = /^ready (\d+)$/.exec(line);
  if (ready !== null) return { kind: "ready", clients: Number(ready[1]) };
  const m = /^(\S+) (ok|timeout|error)(?: (.*))?$/.exec(line);
  if (m === null) throw new Error(`bridge: malformed line: ${JSON.stringify(line)}`);
  const [, req, kind, rest] = m;
  if (kind === "ok") {
    if (rest === undefined || rest === "") throw new Error(`bridge: ok without a value: ${JSON.stringify(line)}`);
    return { req, kind, value: rest === "-" ? null : rest };
  }
  if (kind === "timeout") {
    if (rest !== undefined) throw new Error(`bridge: timeout with trailing text: ${JSON.stringify(line)}`);
    return { req, kind };
  }
  if (kind === "error") return { req, kind, message: rest ?? "" };
  throw new Error(`bridge: malformed line: ${JSON.stringify(line)}`);
}

/**
 * The figures of one run: throughput and latencies of the operations completed ok in
 * [startMs, killMs) (the steady part), and after the kill at `killMs`: `firstAfterKillMs`, the
 * time to the first ok completion of an operation invoked after the kill, and `stallMs`, the
 * longest interval after the kill with no ok completion (from the kill to the first one, or
 * between two), that is how long the service stopped answering.
 */
export function runFigures(ops, startMs, killMs, endMs) {
  const ok = ops.filter((o) => o.type === "ok");
  const before = ok.filter((o) => o.invokedMs >= startMs && o.completedMs < killMs);
  const latencies = before.map((o) => o.completedMs - o.invokedMs).sort((a, b) => a - b);
  const steadyS = (killMs - startMs) / 1000;
  const after = ok.filter((o) => o.completedMs >= killMs).map((o) => o.completedMs).sort((a, b) => a - b);
  let stall = after.length === 0 ? endMs - killMs : after[0] - killMs;
  for (let i = 1; i < after.length; i++) stall = Math.max(stall, after[i] - after[i - 1]);
  const firstNew = ok.filter((o) => o.invokedMs >= killMs).map((o) => o.completedMs).sort((a, b) => a - b)[0];
  const afterSteady = ok.filter((o) => o.completedMs >= killMs + stall);
  return {
    opsOk: ok.length,
    opsInfo: ops.filter((o) => o.type === "info").length,
    opsFail: ops.filter((o) => o.type === "fail").length,
    steadyOps: before.length,
    opsPerSecond: before.length / steadyS,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies.length === 0 ? NaN : latencies[latencies.length - 1],
    firstAfterKillMs: firstNew === undefined ? null : firstNew - killMs,
    stallMs: stall,
    opsAfterKill: after.length,
    afterKillOpsPerSecond: afterSteady.length / Math.max(1e-9, (endMs - killMs - stall) / 1000),
  };
}
