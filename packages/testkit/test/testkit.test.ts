import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ClusterInterpreter, parseScript, runScript, TestCluster, type ScriptProtocol } from "../src/index.js";
import { ToyNode, type ToyCmd, type ToyMsg } from "./toy.js";

const cluster = (seed = 1, lie = false) =>
  new TestCluster<ToyMsg, ToyCmd, number, ToyNode>({ ids: ["a", "b", "c"], seed, create: (id, peers, rng) => new ToyNode(id, peers, rng, lie) });

describe("TestCluster", () => {
  it("persists before it sends, and a restart sees exactly what was persisted", () => {
    const c = cluster();
    c.takeOutputs();
    c.request("a", "x", 1, { op: "inc", by: 2 });
    const kinds = c.takeOutputs().map((o) => o.kind);
    expect(kinds).toEqual(["persist", "send", "send", "reply", "applied"]);
    expect(c.durable.get("a")?.get("count")).toBe(2);
    expect(c.inflight.map((m) => `${m.from}->${m.to}`)).toEqual(["a->b", "a->c"]);
    c.crash("b");
    expect(c.inflight.map((m) => m.to)).toEqual(["c"]); // messages to a crashed node are gone
    c.deliverAll();
    expect(c.node("c").count).toBe(2);
    c.node("a").count = 99; // volatile change, never persisted
    c.restart("a");
    expect(c.node("a").count).toBe(2);
  });

  it("drop, duplicate and deliver act on one message each; unknown ids are errors", () => {
    const c = cluster();
    c.request("a", "x", 1, { op: "inc", by: 1 });
    const [toB, toC] = c.inflight;
    c.duplicate(toB!.id);
    c.drop(toC!.id);
    c.deliverAll();
    expect(c.node("b").count).toBe(2);
    expect(c.node("c").count).toBe(0);
    expect(() => c.deliver(12345)).toThrow("no message 12345 in flight");
  });

  it("timers fire in due order on virtual time, and the same seed replays the same run", () => {
    const run = (seed: number): string[] => {
      const c = cluster(seed);
      const fired: string[] = [];
      for (let k = 0; k < 6; k++) {
        const t = c.fireNextTimer();
        fired.push(`${c.nowMs.toFixed(0)}:${t?.node}`);
      }
      return fired;
    };
    expect(run(7)).toEqual(run(7));
    const times = run(7).map((s) => Number(s.split(":")[0]));
    expect([...times].sort((x, y) => x - y)).toEqual(times);
  });

  it("catches a node whose hasReady() hides output (the contract)", () => {
    // The toy arms a timer when it starts, and hides it.
    expect(() => cluster(1, true)).toThrow(/node a: hasReady\(\) was false but ready\(\) returned .*tick/);
  });
});

const toyScript: ScriptProtocol<ToyMsg, ToyCmd, number, ToyNode> = {
  cluster: (ids, _options, seed) => new TestCluster({ ids, seed, create: (id, peers, rng) => new ToyNode(id, peers, rng) }),
  defaultTimer: "tick",
  messageType: (m) => m.type,
  formatMessage: (m) => (m.type === "Inc" ? `Inc by=${m.by}` : `Count ${m.count}`),
  parseCommand: (op, args) => {
    if (op === "inc") return { op, by: Number(args[0] ?? 1) };
    if (op === "read") return { op };
    throw new Error(`unknown op '${op}'`);
  },
  formatApplied: (a) => `${a.index} inc -> ${a.result}`,
  status: (n, id) => `${id} count=${n.count}`,
  afterStep: (c) => (c.live().some((id) => c.node(id).count > 5) ? "LIMIT count above 5" : null),
};

describe("datadriven scripts", () => {
  it("runs the shared commands, reports mismatches with file and line, and rewrites on request", () => {
    const dir = mkdtempSync(join(tmpdir(), "testkit-"));
    const file = join(dir, "toy.txt");
    const script = [
      "# a comment is kept",
      "cluster a b",
      "----",
      "ok",
      "",
      "request a x 1 inc 3",
      "----",
      "a persist count 3",
      "a->b Inc by=3",
      "a reply x#1 ok 3",
      "a applied 3 inc -> 3",
      "",
      "deliver a->b",
      "----",
      "b persist count 3",
      "",
      "request a x 2 inc 4",
      "----",
      "wrong",
      "",
      "status",
      "----",
      "a count=7",
      "b count=3",
      "",
    ].join("\n");
    writeFileSync(file, script);
    const failures = runScript(file, new ClusterInterpreter(toyScript), false);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain(`${file}:17: request a x 2 inc 4`);
    expect(failures[0]).toContain("LIMIT count above 5");
    expect(runScript(file, new ClusterInterpreter(toyScript), true)).toHaveLength(1);
    expect(runScript(file, new ClusterInterpreter(toyScript), false)).toEqual([]);
    expect(readFileSync(file, "utf8")).toContain("# a comment is kept\ncluster a b");
  });

  it("names the line of a malformed script and of an unknown command", () => {
    expect(() => parseScript("s.txt", "cluster a\nok\n")).toThrow("s.txt:2: expected '----' after the command on line 1");
    const it2 = new ClusterInterpreter(toyScript);
    expect(() => it2.run("tick a")).toThrow("no cluster yet");
    it2.run("cluster a b");
    expect(() => it2.run("frobnicate")).toThrow("unknown command 'frobnicate'");
    expect(() => it2.run("request a")).toThrow("request: expected <node> <client> <seq> <op> [args...]");
  });
});
