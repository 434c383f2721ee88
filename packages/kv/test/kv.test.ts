import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SeededRng } from "@synod/protocol";
import { kvCompletion, kvInvocation, newKvStore, nextKvCommand, restoreKvStore, validateKvCommand, type KvCommand } from "../src/index.js";

const SEED = Number(process.env.SEED ?? 20261207);
const command: fc.Arbitrary<KvCommand> = fc.oneof(
  fc.record({ op: fc.constant("get" as const), key: fc.constantFrom("a", "b") }),
  fc.record({ op: fc.constant("put" as const), key: fc.constantFrom("a", "b"), value: fc.constantFrom("1", "2", "3") }),
  fc.record({ op: fc.constant("delete" as const), key: fc.constantFrom("a", "b") }),
  fc.record({ op: fc.constant("cas" as const), key: fc.constantFrom("a", "b"), expected: fc.constantFrom(null, "1", "2"), value: fc.constantFrom("1", "2", "3") }),
);
const request = fc.record({ client: fc.constantFrom("c1", "c2", "c3"), seq: fc.integer({ min: 1, max: 6 }), command });

describe("sessions: exactly once per (clientId, seq)", () => {
  it("applies a new request, answers a retry from the table, refuses an older one", () => {
    const kv = newKvStore();
    expect(kv.apply("c1", 1, { op: "put", key: "x", value: "a" })).toEqual({ kind: "applied", result: { ok: true } });
    expect(kv.apply("c1", 2, { op: "cas", key: "x", expected: "a", value: "b" })).toEqual({ kind: "applied", result: { ok: true, value: "a" } });
    // A retry of seq 2 (say, after a leader change put it in the log twice) is not applied again.
    expect(kv.apply("c1", 2, { op: "cas", key: "x", expected: "a", value: "b" })).toEqual({ kind: "duplicate", result: { ok: true, value: "a" } });
    expect(kv.apply("c1", 1, { op: "put", key: "x", value: "a" })).toEqual({ kind: "stale", lastSeq: 2 });
    expect(kv.query({ op: "get", key: "x" })).toEqual({ value: "b" });
    expect(kv.cached("c1", 3)).toBeNull();
    expect(kv.cached("c2", 1)).toBeNull();
  });

  it("replicas applying the same requests in the same order end equal, and a snapshot restores them exactly (fast-check seed printed)", () => {
    console.log(`kv replica property: SEED=${SEED}`);
    fc.assert(
      fc.property(fc.array(request, { maxLength: 40 }), fc.nat(40), (reqs, cut) => {
        const a = newKvStore();
        const b = newKvStore();
        for (const r of reqs) a.apply(r.client, r.seq, r.command);
        // b takes a snapshot part-way and continues from the restored copy.
        let restored = b;
        reqs.forEach((r, k) => {
          if (k === Math.min(cut, reqs.length)) restored = restoreKvStore(JSON.parse(JSON.stringify(restored.toJson())));
          restored.apply(r.client, r.seq, r.command);
        });
        expect(restored.toJson()).toEqual(a.toJson());
        // The session table survives: every request is now a duplicate or stale, never applied again.
        for (const r of reqs) expect(restored.apply(r.client, r.seq, r.command).kind).not.toBe("applied");
        expect(restored.toJson()).toEqual(a.toJson());
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it("applying a command sequence equals a plain map model (sequential specification)", () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 40 }), (cmds) => {
        const kv = newKvStore();
        const model = new Map<string, string>();
        cmds.forEach((c, k) => {
          const out = kv.apply("c", k + 1, c);
          expect(out.kind).toBe("applied");
          const prev = model.get(c.key) ?? null;
          if (c.op === "get") expect(out).toEqual({ kind: "applied", result: { value: prev } });
          if (c.op === "put") model.set(c.key, c.value);
          if (c.op === "delete") model.delete(c.key);
          if (c.op === "cas" && prev === c.expected) model.set(c.key, c.value);
        });
        expect(kv.machine.entries()).toEqual([...model.entries()].sort());
      }),
      { seed: SEED + 1, numRuns: 300 },
    );
  });
});

describe("bad input is named", () => {
  it("validates commands", () => {
    expect(validateKvCommand({ op: "put", key: "x", value: "v" })).toBeNull();
    expect(validateKvCommand({ op: "put", key: "x" })).toBe("put needs a string 'value'");
    expect(validateKvCommand({ op: "cas", key: "x", expected: 3, value: "v" })).toBe("cas 'expected' must be a string or null");
    expect(validateKvCommand({ op: "rename", key: "x" })).toBe('unknown kv op "rename"');
    expect(validateKvCommand([])).toBe("command is not an object");
  });

  it("refuses damaged snapshots with the element named", () => {
    expect(() => restoreKvStore([])).toThrow("kv snapshot: not an object");
    expect(() => restoreKvStore({ data: [["a", 1]], sessions: [] })).toThrow("kv snapshot: data[0] must be a [key, value] pair of strings");
    expect(() => restoreKvStore({ data: [["a", "1"], ["a", "2"]], sessions: [] })).toThrow('data[1]: key "a" appears twice');
    expect(() => restoreKvStore({ data: [], sessions: [["c", "x", {}]] })).toThrow("kv snapshot: sessions[0] must be [clientId, seq, result]");
    expect(() => restoreKvStore({ data: [], sessions: [["c", 1, {}], ["c", 2, {}]] })).toThrow('sessions[1]: client "c" appears twice');
  });
});

describe("workload and history vocabulary", () => {
  it("generates reads and unique puts, recorded as lincheck's kv model expects", () => {
    const rng = SeededRng.derive(1, "workload");
    const cmds = Array.from({ length: 200 }, (_, k) => nextKvCommand({ keys: 3, readRatio: 0.5 }, rng, "c1", k));
    expect(new Set(cmds.map((c) => c.key))).toEqual(new Set(["k0", "k1", "k2"]));
    const reads = cmds.filter((c) => c.op === "get").length;
    expect(reads).toBeGreaterThan(60);
    expect(reads).toBeLessThan(140);
    const put = cmds.find((c) => c.op === "put") as KvCommand;
    expect(kvInvocation(put)).toEqual({ f: "put", key: put.key, value: (put as { value: string }).value });
    expect(kvCompletion({ op: "get", key: "k0" }, { value: "c1-3" })).toBe("c1-3");
    expect(kvCompletion({ op: "get", key: "k0" }, { value: null })).toBeNull();
  });
});
