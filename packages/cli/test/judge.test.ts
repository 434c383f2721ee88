import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "./helpers.js";
import { runSynod } from "./processes.js";

const dir = tempDir("synod-judge-");
const write = (name: string, events: unknown[]): string => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(events));
  return file;
};
const op = (process: string, f: string, invoke: unknown, ok: unknown, t0: number, t1: number): unknown[] => [
  { process, type: "invoke", f, value: invoke, time: t0 },
  { process, type: "ok", f, value: ok, time: t1 },
];

// A stale read: the write of 2 completed before the read began, and the read saw 1.
const stale = [...op("a", "write", 1, 1, 0, 10), ...op("a", "write", 2, 2, 20, 30), ...op("b", "read", null, 1, 40, 50)];
const fresh = [...op("a", "write", 1, 1, 0, 10), ...op("b", "read", null, 1, 20, 30)];
const work = (p: string, attempt: string, token: number, accepted: boolean, t: number): unknown[] => op(p, "work", "v", { attempt, token, accepted }, t, t + 5);
const logRead = (writes: [string, number][], t: number): unknown[] => op("final", "log", null, { writes: writes.map(([attempt, token]) => ({ attempt, token, value: "v" })) }, t, t + 1);

describe("synod judge", () => {
  it("passes a linearizable history and refuses a stale read, with exit 0 and 1", async () => {
    const ok = await runSynod(["judge", "linearizable", "--model", "register", write("fresh.json", fresh)]);
    expect(ok.code, ok.output).toBe(0);
    expect(ok.stdout).toContain("judge linearizable: holds");
    const bad = await runSynod(["judge", "linearizable", "--model", "register", "--json", write("stale.json", stale)]);
    expect(bad.code, bad.output).toBe(1);
    const verdict = JSON.parse(bad.stdout) as { verdict: string; events: number };
    expect(verdict.verdict).toBe("violation");
    expect(verdict.events).toBe(6);
  });

  it("judges a lock history: an unfenced write after a later holder's is a violation, the fenced one is not", async () => {
    const unfenced = [...work("c1", "b", 2, true, 0), ...work("c0", "a", 1, true, 10), ...logRead([["b", 2], ["a", 1]], 20)];
    const r = await runSynod(["judge", "mutual-exclusion", write("unfenced.json", unfenced)]);
    expect(r.code, r.output).toBe(1);
    expect(r.stdout).toContain("two holders' writes interleave");
    const fenced = [...work("c1", "b", 2, true, 0), ...work("c0", "a", 1, false, 10), ...logRead([["b", 2]], 20)];
    const f = await runSynod(["judge", "mutual-exclusion", write("fenced.json", fenced)]);
    expect(f.code, f.output).toBe(0);
  });

  it("judges leases with the drift bound given", async () => {
    const ms = 1e6;
    // Two generations each certain of a 100 ms lease over the same real-time window: a split brain.
    const split = [...op("p1", "lead", null, { node: "n1", generation: 1, leaseRemainingMs: 100 }, 0, 1 * ms), ...op("p2", "lead", null, { node: "n2", generation: 2, leaseRemainingMs: 100 }, 2 * ms, 3 * ms)];
    const r = await runSynod(["judge", "leadership", "--drift", "0.01", write("split.json", split)]);
    expect(r.code, r.output).toBe(1);
    expect(r.stdout).toContain("VIOLATED");
  });

  it("names the place of a malformed file and refuses options a judge does not read", async () => {
    const file = path.join(dir, "broken.json");
    fs.writeFileSync(file, '[{"process": "a", "type": "invoke", "f": "read", "value": null},\n  {"process": ');
    const r = await runSynod(["judge", "mutual-exclusion", file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/broken\.json:2:\d+.*invalid JSON/);
    expect(r.stderr).not.toMatch(/\n\s+at /);

    const stray = await runSynod(["judge", "atomic", "--model", "kv", write("x.json", fresh)]);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain("--model is not read by the atomic judge");
    const missing = await runSynod(["judge", "linearizable", write("y.json", fresh)]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("the linearizable judge needs --model");
    const unknown = await runSynod(["judge", "fair", write("z.json", fresh)]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown judge "fair"');
    const drift = await runSynod(["judge", "leadership", "--drift", "1.5", write("w.json", fresh)]);
    expect(drift.code).toBe(2);
    expect(drift.stderr).toContain('--drift: "1.5" is not a number in [0, 1)');
  });

  it("reads a Jepsen EDN history and refuses an operation the model does not know, naming it", async () => {
    const file = path.join(dir, "h.edn");
    fs.writeFileSync(file, "{:process 0, :type :invoke, :f :write, :value 1}\n{:process 0, :type :ok, :f :write, :value 1}\n{:process 1, :type :invoke, :f :read, :value nil}\n{:process 1, :type :ok, :f :read, :value 1}\n");
    const r = await runSynod(["judge", "linearizable", "--model", "register", file]);
    expect(r.code, r.output).toBe(0);
    const odd = path.join(dir, "odd.edn");
    fs.writeFileSync(odd, "{:process 0, :type :invoke, :f :frob, :value 1}\n{:process 0, :type :ok, :f :frob, :value 1}\n");
    const o = await runSynod(["judge", "linearizable", "--model", "register", odd]);
    expect(o.code).toBe(1);
    expect(o.stderr).toContain("frob");
    expect(o.stderr).not.toMatch(/\n\s+at /);
  });
});
