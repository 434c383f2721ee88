import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkHistory } from "../src/check.js";
import { HistoryError } from "../src/errors.js";
import { prepareOperations } from "../src/history.js";
import { casRegister, kv, register } from "../src/models/index.js";
import { parseEdnHistory } from "../src/readers/ednHistory.js";
import { parseEdnValue } from "../src/readers/edn.js";
import { parseJepsenLog } from "../src/readers/jepsenLog.js";
import { parseJsonHistory } from "../src/readers/json.js";
import { guessFormat, readHistoryFile } from "../src/readers/readFile.js";
import { h } from "./helpers.js";

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

function problemOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(HistoryError);
    return (err as Error).message;
  }
  throw new Error("expected a HistoryError");
}

describe("EDN values", () => {
  it("reads scalars, collections, keywords, tags and discards", () => {
    expect(parseEdnValue("nil")).toBeNull();
    expect(parseEdnValue("[1 -2 3.5 12N :timed-out \"a\\\"b\" true]")).toEqual([1, -2, 3.5, 12, "timed-out", 'a"b', true]);
    expect(parseEdnValue("{:a 1, :b (2 3) :c #{4}}")).toEqual({ a: 1, b: [2, 3], c: [4] });
    expect(parseEdnValue('#inst "2020-01-01" ; comment')).toBe("2020-01-01");
    expect(parseEdnValue("[1 #_ 2 3]")).toEqual([1, 3]);
    expect(parseEdnValue("#jepsen.history.Op{:f :read}")).toEqual({ f: "read" });
  });

  it("reports malformed EDN with line and column", () => {
    expect(problemOf(() => parseEdnValue("[1 2", "x.edn"))).toBe("x.edn:1:1: unclosed collection (expected ])");
    expect(problemOf(() => parseEdnValue("{:a 1\n :b}", "x.edn"))).toBe("x.edn:2:2: map key without a value");
    expect(problemOf(() => parseEdnValue('"abc', "x.edn"))).toBe("x.edn:1:1: unterminated string");
    expect(problemOf(() => parseEdnValue("1 2", "x.edn"))).toBe("x.edn: expected one EDN value, found 2");
  });
});

describe("EDN histories", () => {
  it("reads a jepsen.independent vector history, ignoring the nemesis and fail ops", async () => {
    const { history, format } = await readHistoryFile(fixture("history.edn"));
    expect(format).toBe("edn");
    expect(history).toHaveLength(13);
    expect(history[0]).toMatchObject({ process: 0, type: "invoke", f: "write", value: ["x", 1], timeNs: 1000, index: 0 });
    expect(history[0].source).toMatch(/history\.edn:2:2$/);
    const ops = prepareOperations(history, kv());
    expect(ops.map((o) => o.partition)).toEqual(["x", "y", "x", "x", "y"]);
    expect(checkHistory(history, kv()).verdict).toBe("ok");
  });

  it("reads a stream of op maps, one per line", async () => {
    const { history } = await readHistoryFile(fixture("knossos-stream.edn"));
    expect(history).toHaveLength(8);
    expect(history[7].source).toMatch(/knossos-stream\.edn:8:1$/);
    const result = checkHistory(history, casRegister());
    expect(result.verdict).toBe("illegal");
  });

  it("reads a Knossos cas-register history with nil reads (unknown values), a failed CAS and an info write", async () => {
    const { history, format } = await readHistoryFile(fixture("knossos-nil-reads.edn"));
    expect(format).toBe("edn");
    const model = casRegister({ init: 0 });
    const ops = prepareOperations(history, model);
    // The failed CAS is dropped; the info write stays open; the nil reads have no known value.
    expect(ops.map((o) => `${o.description}${o.status === "info" ? " [info]" : ""}`)).toEqual([
      "read -> ?",
      "write 3",
      "read -> 3",
      "write 1 (outcome unknown) [info]",
      "read -> ?",
      "cas 3->2",
      "read -> 2",
      "read -> 1",
    ]);
    const result = checkHistory(history, model);
    expect(result.verdict).toBe("ok");
    if (result.verdict === "ok") expect(result.linearization.slice(-2)).toEqual([3, 7]);
    // With nil as a value the first read (before the write of 3 took effect, state 0) cannot be nil.
    expect(checkHistory(history, casRegister({ init: 0, nilRead: "value" })).verdict).toBe("illegal");
    // The failed CAS did not happen: had it happened, the register would never have been 3 first.
    const withFailOk = history.map((e) => (e.type === "fail" ? { ...e, type: "ok" as const } : e));
    expect(checkHistory(withFailOk, model).verdict).toBe("illegal");
  });

  it("names the entry with a bad field", () => {
    const text = "{:process 0 :type :invoke :f :read :value nil}\n{:process 0 :type :done :f :read :value 1}";
    expect(problemOf(() => parseEdnHistory(text, "h.edn"))).toBe('h.edn:2:1: invalid type "done"; expected invoke, ok, fail or info');
    expect(problemOf(() => parseEdnHistory("[{:process 0 :type :invoke :value 1}]", "h.edn"))).toBe(
      "h.edn:1:2: missing or invalid f (got undefined); expected an operation name",
    );
    expect(problemOf(() => parseEdnHistory("[1 2]", "h.edn"))).toBe("h.edn:1:2: expected an operation map {:process .. :type .. :f .. :value ..}");
  });
});

describe("Jepsen logs", () => {
  it("reads etcd-style lines, skipping other log lines and the nemesis", async () => {
    const { history, format } = await readHistoryFile(fixture("etcd-style-log.txt"));
    expect(format).toBe("jepsen-log");
    expect(history).toHaveLength(20);
    expect(history[0]).toMatchObject({ process: 0, type: "invoke", f: "read", value: null });
    // `:fail :cas` is a compare that ran and failed.
    expect(history[5]).toMatchObject({ process: 2, type: "ok", f: "cas", value: false });
    expect(history[5].source).toMatch(/etcd-style-log\.txt:7$/);
    expect(checkHistory(history, casRegister()).verdict).toBe("ok");
  });

  it("finds the stale read in the modified log", async () => {
    const { history } = await readHistoryFile(fixture("etcd-style-stale-log.txt"));
    const result = checkHistory(history, casRegister());
    expect(result.verdict).toBe("illegal");
    if (result.verdict !== "illegal") return;
    // Process 0 reads 4 after its own cas 0->2 completed; nothing writes 4 again.
    expect(result.failure.stuck.map((s) => s.id)).toContain(10);
    expect(result.explanation).toMatch(/#10 process 0 read -> 4 .*etcd-style-stale-log\.txt:24.*is impossible in state 2, and no remaining operation can change that/);
  });

  // Regression: lines in log4j's own pattern (`[jepsen worker 4] jepsen.util: 4 ...`) were skipped
  // silently, dropping the write and turning a linearizable history into an illegal one.
  it("reads operation lines whatever the logger prefix, and refuses operation lines it cannot place", async () => {
    const { history } = await readHistoryFile(fixture("log4j-pattern-log.txt"));
    expect(history).toHaveLength(6);
    expect(history[2]).toMatchObject({ process: 4, type: "invoke", f: "write", value: 2 });
    expect(checkHistory(history, register()).verdict).toBe("ok");
    const odd = "INFO  jepsen.util - 1\t:invoke\t:read\tnil\nworker-7 says: 2\t:invoke\t:write\t3\n";
    expect(() => parseJepsenLog(odd, "odd.log")).toThrow(/odd\.log:2: operation line without a jepsen\.util logger prefix/);
  });

  // The conventions of the etcd logs Jepsen published (Porcupine's test data), measured against
  // Porcupine's verdicts with `bench --etcd`: some logs pad columns with spaces instead of tabs,
  // a timed-out read is logged as `:fail :read :timed-out` (it constrains nothing), and
  // `:fail :cas` is a compare that ran and failed, which does constrain the state.
  it("reads space-padded etcd logs with timed-out reads and failed compares", async () => {
    const { history, format } = await readHistoryFile(fixture("etcd-padded-log.txt"));
    expect(format).toBe("jepsen-log");
    expect(history).toHaveLength(18);
    expect(history[5]).toMatchObject({ process: 1, type: "fail", f: "read" });
    expect(history[13]).toMatchObject({ process: 7, type: "ok", f: "cas", value: false });
    expect(history[16]).toMatchObject({ process: 10, type: "invoke", f: "read", value: null });
    expect(history[16].source).toMatch(/etcd-padded-log\.txt:18$/);
    // The timed-out cas [1 3] took effect (read -> 3); cas [3 4] failed because write 2 came first.
    expect(checkHistory(history, casRegister()).verdict).toBe("ok");
  });

  it("rejects a failed compare that must have succeeded", async () => {
    const { history } = await readHistoryFile(fixture("etcd-padded-stale-log.txt"));
    const result = checkHistory(history, casRegister());
    expect(result.verdict).toBe("illegal");
    if (result.verdict !== "illegal") return;
    // After read -> 3 completed nothing can change 3 before cas [3 4], so its compare cannot fail.
    expect(result.failure.stateAfterPrefix).toBe("3");
    expect(result.explanation).toMatch(/process 7 cas 3->4 \(compare failed\) \(invoked at .*etcd-padded-stale-log\.txt:12\): .* impossible in state 3/);
  });

  it("rejects malformed operation lines with their line number", () => {
    const text = "INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - x :ok\n";
    expect(problemOf(() => parseJepsenLog(text, "a.log"))).toMatch(/^a\.log:2: malformed operation line/);
    expect(problemOf(() => parseJepsenLog("INFO  jepsen.util - 0\t:done\t:read\tnil", "a.log"))).toBe(
      "a.log:1: unknown type :done; expected :invoke, :ok, :fail or :info",
    );
    expect(problemOf(() => parseJepsenLog("INFO  jepsen.util - 0\t:ok\t:read\t[1", "a.log"))).toBe('a.log:1: malformed value "[1": unclosed collection (expected ])');
    expect(problemOf(() => parseJepsenLog("hello\n", "a.log"))).toBe("a.log: no jepsen.util operation lines found; is this a Jepsen log?");
  });
});

describe("JSON histories", () => {
  it("reads the documented format", async () => {
    const { history, format } = await readHistoryFile(fixture("history.json"));
    expect(format).toBe("json");
    expect(history[0]).toMatchObject({ process: 0, type: "invoke", f: "put", key: "k1", value: 3, timeNs: 100 });
    const result = checkHistory(history, kv());
    expect(result.verdict).toBe("ok");
    expect(result.partitions.map((p) => p.key)).toEqual(["k1", "k2"]);
  });

  it("reads JSON lines", () => {
    const text = '{"process":0,"type":"invoke","f":"write","value":1}\n\n{"process":0,"type":"ok","f":"write","value":1}\n';
    expect(parseJsonHistory(text, "h.jsonl")).toHaveLength(2);
    expect(problemOf(() => parseJsonHistory('{"process":0,"type":"invoke","f":"write"}\n{"process":0,', "h.jsonl"))).toMatch(/^h\.jsonl:2: invalid JSON/);
  });

  it("names the entry and the field", () => {
    expect(problemOf(() => parseJsonHistory('[{"process":0,"type":"invoke","f":"write","value":1},{"type":"ok"}]', "h.json"))).toBe(
      "h.json: entry 2: missing or invalid process (got undefined); expected an integer or \"nemesis\"",
    );
    expect(problemOf(() => parseJsonHistory('[{"process":0,"type":"invoke","f":"w","time":"now"}]', "h.json"))).toBe(
      'h.json: entry 1: time must be a number of nanoseconds, got "now"',
    );
    expect(problemOf(() => parseJsonHistory('[\n{"process":0,}\n]', "h.json"))).toMatch(/^h\.json:2:\d+: invalid JSON/);
    // Regression: a file cut short names where it ends (V8 gives no position for it).
    expect(problemOf(() => parseJsonHistory('[{"process":0,"type":"invoke","f":"w"},\n  {"process": ', "h.json"))).toMatch(/^h\.json:2:14: invalid JSON: Unexpected end/);
  });
});

describe("history structure", () => {
  it("rejects a completion with no invocation", () => {
    expect(problemOf(() => checkHistory(h("0 ok read 1"), register()))).toBe("line 1: ok read on process 0 has no open invocation");
  });

  it("rejects two open invocations on one process", () => {
    expect(problemOf(() => checkHistory(h("0 invoke read nil\n0 invoke write 1"), register()))).toBe(
      "line 2: process 0 invokes write while its read from line 1 is still open",
    );
  });

  it("rejects a process reused after info", () => {
    expect(problemOf(() => checkHistory(h("0 invoke write 1\n0 info write 1\n0 invoke read nil"), register()))).toMatch(
      /^line 3: process 0 invokes read after its write ended in info at line 2/,
    );
  });

  it("rejects a completion of a different function", () => {
    expect(problemOf(() => checkHistory(h("0 invoke read nil\n0 ok write 1"), register()))).toBe(
      "line 2: ok write on process 0 completes a read invoked at line 1",
    );
  });

  it("rejects ops the model does not know, naming the entry", () => {
    expect(problemOf(() => checkHistory(h("0 invoke read nil\n0 ok read 1\n1 invoke frob 1\n1 ok frob 1"), register()))).toBe(
      'line 3: register model: unknown operation "frob"; the register model knows read, write',
    );
    expect(problemOf(() => checkHistory(h("0 invoke cas 1\n0 ok cas 1"), casRegister()))).toMatch(/^line 1: cas-register model: expected the cas value/);
    expect(problemOf(() => checkHistory(h("0 invoke put 1\n0 ok put 1"), kv()))).toMatch(/^line 1: kv model: expected a key-value operation/);
  });

  it("treats invocations never completed as info", () => {
    const ops = prepareOperations(h("0 invoke write 1\n1 invoke read nil\n1 ok read 1"), register());
    expect(ops[0].status).toBe("info");
    expect(ops[0].ret).toBe(Infinity);
  });

  it("orders events by time when every event has one", () => {
    const events = [
      { process: 1, type: "ok" as const, f: "read", value: 1, timeNs: 30 },
      { process: 0, type: "invoke" as const, f: "write", value: 1, timeNs: 10 },
      { process: 1, type: "invoke" as const, f: "read", value: null, timeNs: 20 },
      { process: 0, type: "ok" as const, f: "write", value: 1, timeNs: 25 },
    ];
    expect(checkHistory(events, register()).verdict).toBe("ok");
  });
});

describe("format guessing", () => {
  it("uses the extension, then the contents", async () => {
    expect(guessFormat("a.json", "")).toBe("json");
    expect(guessFormat("a.edn", "")).toBe("edn");
    expect(guessFormat("a.txt", await readFile(fixture("etcd-style-log.txt"), "utf8"))).toBe("jepsen-log");
    expect(guessFormat("a", "[{:process 0 :type :invoke}]")).toBe("edn");
    expect(guessFormat("a", '[{"process":0}]')).toBe("json");
  });

  it("reports a missing file", async () => {
    await expect(readHistoryFile("/nonexistent/h.json")).rejects.toThrow("/nonexistent/h.json: cannot read file: ENOENT");
  });
});
