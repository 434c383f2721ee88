/**
 * `synod maelstrom raft` under a Maelstrom stand-in (test/maelstrom-driver.ts): three node
 * processes, four concurrent lin-kv clients on random nodes, delayed and dropped messages and
 * partitions; the history is judged linearizable by lincheck. Replay with SYNOD_SEED=<n> (the
 * workload and fault choices repeat; wall-clock interleavings do not). Plus: a node answers
 * malformed input with Maelstrom's errors and keeps serving.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { describe, expect, it } from "vitest";
import { loadKits } from "@synod/conformance";
import { checkHistory, kv, type HistoryEvent } from "@synod/lincheck";
import { MAELSTROM_ERRORS } from "../src/maelstrom/errors.js";
import { completion, invocation, MaelstromNet, runLinKv, type Body } from "./maelstrom-driver.js";
import { SYNOD_BIN } from "./processes.js";

// Every registered protocol that serves the KV store speaks lin-kv: Raft and Multi-Paxos today.
// Maelstrom's clients take one node's answer: protocols whose clients must sign requests and wait for f + 1 replies (serve.client) cannot serve them.
const KV_PROTOCOLS = (await loadKits()).filter((k) => k.serve !== undefined && k.serve.client === undefined && k.histories.service.name === "kv").map((k) => k.name);

describe.each(KV_PROTOCOLS)("synod maelstrom %s (lin-kv)", (protocol) => {
  it("is linearizable under delays, drops and partitions, and speaks the protocol", async () => {
    const seed = Number(process.env.SYNOD_SEED ?? Date.now() % 2 ** 31);
    console.log(`maelstrom lin-kv ${protocol}: SYNOD_SEED=${seed}`);
    const result = await runLinKv({
      protocol,
      seed,
      nodes: 3,
      clients: 4,
      durationMs: 8000,
      keys: 3,
      latencyMs: [0, 8],
      dropProbability: 0.02,
      partitions: true,
      clientTimeoutMs: 2500,
      nodeArgs: ["--election-timeout-ms", "300-600", "--heartbeat-ms", "50", "--request-timeout-ms", "1500"],
    });
    console.log(`maelstrom lin-kv: outcomes ${JSON.stringify(result.outcomes)}, network ${JSON.stringify(result.network)}`);
    expect(result.violations).toEqual([]);
    expect(result.exitCodes, result.stderr.join("\n")).toEqual([0, 0, 0]);
    // Progress despite the faults: a good share of operations succeeded.
    const ok = Object.entries(result.outcomes).filter(([k]) => k.startsWith("ok")).reduce((n, [, v]) => n + v, 0);
    expect(ok).toBeGreaterThan(50);
    expect(result.network.cut + result.network.dropped).toBeGreaterThan(0);
    const verdict = checkHistory(result.history, kv({ init: null }), { timeoutMs: 60_000 });
    if (verdict.verdict !== "ok") console.error(`SYNOD_SEED=${seed}: ${verdict.verdict}`, verdict.verdict === "illegal" ? verdict.explanation : "");
    expect(verdict.verdict).toBe("ok");
    // The judge is not blind: a read of a value nobody wrote makes the same history illegal.
    const i = result.history.findIndex((e) => e.type === "ok" && e.f === "get" && e.value !== null);
    expect(i).toBeGreaterThanOrEqual(0);
    const tampered: HistoryEvent[] = result.history.map((e, j) => (j === i ? { ...e, value: 99 } : e));
    expect(checkHistory(tampered, kv({ init: null }), { timeoutMs: 60_000 }).verdict).toBe("illegal");
  }, 90_000);
});

describe("synod maelstrom raft (lin-kv)", () => {
  it("catches a real bug: a deposed leader's unconfirmed read (the TEST-ONLY readWithoutConfirmation) is illegal", async () => {
    // The leader is cut off from the other two, they elect a new leader and commit a write, and a
    // client reads at the old leader. checkQuorum is off so that the old leader keeps believing it
    // leads. Raft's read-index cannot confirm leadership there, so the read fails (definite for a
    // read); the unsafe build answers the old value and lincheck must call the history illegal.
    const staleRead = async (options: object): Promise<{ read: Body | null; verdict: string }> => {
      const net = await MaelstromNet.start({
        seed: 7,
        nodes: 3,
        latencyMs: [0, 2],
        dropProbability: 0,
        nodeArgs: ["--election-timeout-ms", "300-600", "--heartbeat-ms", "50", "--request-timeout-ms", "1000", "--protocol-options", JSON.stringify(options)],
      });
      const history: HistoryEvent[] = [];
      let proc = 0;
      const call = async (node: string, op: Body): Promise<Body | null> => {
        const { f, value } = invocation(op);
        history.push({ process: proc, type: "invoke", f, key: "0", value });
        const reply = await net.rpc("c1", node, op, 3000);
        const done = completion(op, reply);
        history.push({ process: proc, type: done.type, f, key: "0", value: done.value });
        if (done.type === "info") proc++;
        return reply;
      };
      const until = async (nodes: string[], op: Body): Promise<void> => {
        for (let i = 0; ; i++) {
          if ((await call(nodes[i % nodes.length]!, op))?.type === `${op.type}_ok`) return;
          if (i > 40) throw new Error(`${op.type} never succeeded:\n${net.stderr.join("\n")}`);
        }
      };
      try {
        await until(net.ids, { type: "write", key: 0, value: 1 });
        // The leader is the node whose latest role change made it leader.
        const leader = net.ids.find((id, i) => [...net.stderr[i]!.matchAll(/ role-changed from=\S+ to=(\S+)/g)].at(-1)?.[1] === "leader")!;
        expect(leader).toBeDefined();
        const others = net.ids.filter((id) => id !== leader);
        net.partition([leader]);
        await until(others, { type: "write", key: 0, value: 2 });
        const read = await call(leader, { type: "read", key: 0 });
        net.heal();
        return { read, verdict: checkHistory(history, kv({ init: null }), { timeoutMs: 10_000 }).verdict };
      } finally {
        await net.stop();
      }
    };
    const safe = await staleRead({ checkQuorum: false });
    expect(safe.read).toMatchObject({ type: "error", code: MAELSTROM_ERRORS.temporarilyUnavailable.code });
    expect(safe.verdict).toBe("ok");
    const unsafe = await staleRead({ checkQuorum: false, unsafe: { readWithoutConfirmation: true } });
    expect(unsafe.read).toMatchObject({ type: "read_ok", value: 1 });
    expect(unsafe.verdict).toBe("illegal");
  }, 60_000);

  it("answers malformed input and unknown types with Maelstrom's errors and never crashes", async () => {
    const child = spawn(process.execPath, [SYNOD_BIN, "maelstrom", "raft", "--seed", "1", "--election-timeout-ms", "100-200", "--heartbeat-ms", "20"], { stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const replies = new Map<number, Record<string, unknown>>();
    readline.createInterface({ input: child.stdout }).on("line", (line) => {
      const m = JSON.parse(line) as { src: string; dest: string; body: Record<string, unknown> };
      expect(m.dest).toBe("c1");
      replies.set(m.body["in_reply_to"] as number, { ...m.body, src: m.src });
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const send = (line: string): boolean => child.stdin.write(`${line}\n`);
    const msg = (body: Record<string, unknown>) => JSON.stringify({ src: "c1", dest: "n1", body });
    const reply = async (msgId: number): Promise<Record<string, unknown>> => {
      const deadline = Date.now() + 10_000;
      while (!replies.has(msgId)) {
        if (Date.now() > deadline) throw new Error(`no reply to ${msgId}; stderr:\n${stderr}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return replies.get(msgId)!;
    };
    const code = (k: keyof typeof MAELSTROM_ERRORS) => MAELSTROM_ERRORS[k].code;

    send(msg({ type: "read", msg_id: 1, key: 1 }));
    expect(await reply(1)).toMatchObject({ type: "error", code: code("temporarilyUnavailable"), src: "n1" });
    send("this is not JSON {");
    send("[1, 2, 3]");
    send(JSON.stringify({ src: "c1", dest: "n1", body: { type: 7, msg_id: 2 } }));
    expect(await reply(2)).toMatchObject({ type: "error", code: code("malformedRequest") });
    send(msg({ type: "init", msg_id: 3, node_id: "n1", node_ids: ["n2"] }));
    expect(await reply(3)).toMatchObject({ type: "error", code: code("malformedRequest"), text: "init: node_ids does not list node_id n1" });
    send(msg({ type: "init", msg_id: 4, node_id: "n1", node_ids: ["n1"] }));
    expect(await reply(4)).toMatchObject({ type: "init_ok" });
    send(msg({ type: "init", msg_id: 5, node_id: "n1", node_ids: ["n1"] }));
    expect(await reply(5)).toMatchObject({ type: "init_ok" });
    send(msg({ type: "init", msg_id: 6, node_id: "n1", node_ids: ["n1", "n2"] }));
    expect(await reply(6)).toMatchObject({ type: "error", code: code("malformedRequest") });
    send(msg({ type: "broadcast", msg_id: 7, message: 1 }));
    expect(await reply(7)).toMatchObject({ type: "error", code: code("notSupported") });
    send(msg({ type: "write", msg_id: 8, key: 1 }));
    expect(await reply(8)).toMatchObject({ type: "error", code: code("malformedRequest"), text: "write needs a value" });
    send(msg({ type: "cas", msg_id: 9, key: 1, from: 1 }));
    expect(await reply(9)).toMatchObject({ type: "error", code: code("malformedRequest"), text: "cas needs to" });
    send(JSON.stringify({ src: "n2", dest: "n1", body: { type: "synod", msg: { garbage: true } } }));
    send(JSON.stringify({ src: "n1", dest: "n1", body: { type: "synod_reply", reply: "x" } }));
    // Still serving: a write, a read, a failing cas and a read of an absent key. Until the node
    // has elected itself it answers 11 (definite), so the client retries under new msg_ids (which,
    // as Maelstrom's, only grow: the service deduplicates on them).
    let id = 100;
    for (;;) {
      send(msg({ type: "write", msg_id: ++id, key: "k", value: { nested: [1, "two"] } }));
      const r = await reply(id);
      if (r["type"] === "write_ok") break;
      expect(r).toMatchObject({ type: "error", code: code("temporarilyUnavailable") });
      expect(id).toBeLessThan(200);
      await new Promise((res) => setTimeout(res, 50));
    }
    send(msg({ type: "read", msg_id: ++id, key: "k" }));
    expect(await reply(id)).toMatchObject({ type: "read_ok", value: { nested: [1, "two"] } });
    send(msg({ type: "cas", msg_id: ++id, key: "k", from: 1, to: 2 }));
    expect(await reply(id)).toMatchObject({ type: "error", code: code("preconditionFailed") });
    send(msg({ type: "read", msg_id: ++id, key: "absent" }));
    expect(await reply(id)).toMatchObject({ type: "error", code: code("keyDoesNotExist") });
    send(msg({ type: "cas", msg_id: ++id, key: "k", from: { nested: [1, "two"] }, to: 3 }));
    expect(await reply(id)).toMatchObject({ type: "cas_ok" });
    child.stdin.end();
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/malformed-input problem="not JSON/);
    expect(stderr).toMatch(/malformed-input problem="not a JSON object"/);
    expect(stderr).toMatch(/dropped src=n2 reason="synod message from a non-member"/);
    expect(replies.size).toBe(9 + (id - 100));
  }, 30_000);

  it("with --data, a node restarted on its directory keeps what it acknowledged", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "synod-maelstrom-"));
    try {
      const start = () => MaelstromNet.start({ seed: 3, nodes: 1, latencyMs: [0, 0], dropProbability: 0, nodeArgs: ["--election-timeout-ms", "100-200", "--heartbeat-ms", "20", "--data", dir] });
      const until = async (net: MaelstromNet, op: Body): Promise<Body> => {
        for (let i = 0; i < 100; i++) {
          const r = await net.rpc("c1", "n1", op, 2000);
          if (r !== null && !(r.type === "error" && r["code"] === MAELSTROM_ERRORS.temporarilyUnavailable.code)) return r;
        }
        throw new Error(`no answer to ${op.type}`);
      };
      const first = await start();
      expect(await until(first, { type: "write", key: "x", value: 42 })).toMatchObject({ type: "write_ok" });
      expect(await first.stop()).toEqual([0]);
      expect(fs.readdirSync(path.join(dir, "n1")).length).toBeGreaterThan(0);
      const second = await start();
      expect(await until(second, { type: "read", key: "x" })).toMatchObject({ type: "read_ok", value: 42 });
      expect(await second.stop()).toEqual([0]);
      expect(second.violations).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it("refuses an unknown protocol, an unknown workload and bad flags", async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const c = spawn(process.execPath, [SYNOD_BIN, "maelstrom", ...args], { stdio: ["ignore", "ignore", "pipe"] });
        let stderr = "";
        c.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        c.on("exit", (code) => resolve({ code, stderr }));
      });
    const w = await run(["raft", "--workload", "broadcast"]);
    expect(w.code).toBe(2);
    expect(w.stderr).toMatch(/--workload: "broadcast" is not one of lin-kv/);
    const p = await run(["nosuch"]);
    expect(p.code).toBe(2);
    expect(p.stderr).toMatch(/nosuch/);
    const f = await run(["raft", "--request-timeout-ms", "0"]);
    expect(f.code).toBe(2);
    expect(f.stderr).toMatch(/--request-timeout-ms: "0" is not an integer >= 1/);
  });
});
