import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it, vi } from "vitest";
import { parseDurationMs, parsePeers, parseRangeMs, UsageError } from "../src/commands/args.js";
import { compareWithExpected, readExpected } from "../src/verify/expected.js";
import { FileStorage } from "../src/storage/file-storage.js";
import { renderTable } from "../src/commands/table.js";
import { runSynod, spawnSynod } from "./processes.js";
import { freePorts, tempDir, waitFor } from "./helpers.js";

const FIXTURE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "fixtures", "verify-root");
const PEERS = "n1=127.0.0.1:7101,n2=127.0.0.1:7102,n3=127.0.0.1:7103";

describe("argument parsing", () => {
  it("parses peers and names the bad entry", () => {
    expect([...parsePeers(PEERS, "--peers").keys()]).toEqual(["n1", "n2", "n3"]);
    expect(() => parsePeers("n1=127.0.0.1:1,n1=127.0.0.1:2", "--peers")).toThrow('--peers entry 2 ("n1=127.0.0.1:2"): node id n1 appears twice');
    expect(() => parsePeers("n1=127.0.0.1:1,n2=127.0.0.1:1", "--peers")).toThrow("address 127.0.0.1:1 is also n1's");
    expect(() => parsePeers("n1=127.0.0.1:1,127.0.0.1:2", "--peers")).toThrow("entry 2");
    expect(() => parsePeers("bad id=127.0.0.1:1", "--peers")).toThrow(UsageError);
  });

  it("parses durations and ranges with units", () => {
    expect(parseDurationMs("500ms", "--timeout")).toBe(500);
    expect(parseDurationMs("1.5s", "--timeout")).toBe(1500);
    expect(parseDurationMs("2m", "--timeout")).toBe(120_000);
    expect(parseDurationMs("3", "--timeout")).toBe(3000);
    expect(() => parseDurationMs("soon", "--timeout")).toThrow('--timeout: "soon" is not a duration');
    expect(parseRangeMs("150-300", "--election-timeout-ms")).toEqual([150, 300]);
    expect(() => parseRangeMs("300-150", "--election-timeout-ms")).toThrow("need 1 <= MIN <= MAX");
    expect(parseRangeMs("2000", "--election-timeout-ms")).toEqual([2000, 2000]);
  });
});

describe.concurrent("synod serve and kv refuse bad arguments with a clear line and exit 2", () => {
  const cases: [string, string[], RegExp][] = [
    ["a bad peer entry", ["serve", "raft", "--id", "n1", "--peers", "n1=127.0.0.1:7101,n2=nowhere", "--client-port", "8101", "--data", "d"], /--peers entry 2 \("n2=nowhere"\): "nowhere" is not host:port/],
    ["an id missing from the peers", ["serve", "raft", "--id", "n4", "--peers", PEERS, "--client-port", "8101", "--data", "d"], /--peers: does not list this node \(--id n4\)/],
    ["a client port that is a peer port", ["serve", "raft", "--id", "n1", "--peers", PEERS, "--client-port", "7102", "--data", "d"], /--client-port: 7102 is n2's peer port/],
    ["a data path that is a file", ["serve", "raft", "--id", "n1", "--peers", PEERS, "--client-port", "8101", "--data", "/dev/null"], /--data: \/dev\/null is not a directory/],
    ["an unknown command", ["frobnicate"], /unknown command 'frobnicate'/],
    ["an unknown protocol", ["serve", "zab", "--id", "n1", "--peers", PEERS, "--client-port", "8101", "--data", "d"], /unknown protocol "zab" \(known: [^)]*\braft\b[^)]*\)/],
    ["a missing option", ["serve", "raft", "--id", "n1", "--peers", PEERS, "--client-port", "8101"], /required option '--data <dir>' not specified/],
    ["heartbeat above the election timeout", ["serve", "raft", "--id", "n1", "--peers", PEERS, "--client-port", "8101", "--data", "d", "--election-timeout-ms", "100-200", "--heartbeat-ms", "150"], /--heartbeat-ms: 150 must be below the election timeout minimum 100/],
    // PBFT has one view-change timeout: a range was refused even as N-N ("pbft does not honour
    // --election-timeout-ms (its knobs: --election-timeout-ms, ...)"); now N-N and N are taken
    // (test/bft-cluster.test.ts serves with one) and a real range is refused by name.
    ["a timeout range for pbft's one view-change timeout", ["serve", "pbft", "--id", "n1", "--peers", PEERS, "--client-port", "8101", "--data", "d", "--election-timeout-ms", "300-600"], /pbft takes one timeout, not a range: --election-timeout-ms 300, not 300-600/],
    ["a bad timeout", ["kv", "--cluster", "127.0.0.1:8101", "--timeout", "forever", "get", "k"], /--timeout: "forever" is not a duration/],
    ["a bad cluster entry", ["kv", "--cluster", "127.0.0.1:8101,localhost", "get", "k"], /--cluster entry 2: "localhost" is not host:port/],
    ["cas with a missing value", ["kv", "--cluster", "127.0.0.1:8101", "cas", "k", "old"], /cas: expected KEY OLD NEW/],
  ];
  for (const [what, args, message] of cases) {
    it(what, async () => {
      const r = await runSynod(args);
      expect(r.output).toMatch(message);
      expect(r.output).not.toMatch(/at .*\.js:\d+/); // no stack trace
      expect(r.code).toBe(2);
    });
  }

  it("serve shuts down cleanly on SIGTERM and releases its data directory", async () => {
    const [p1, p2, c1] = await freePorts(3);
    const dir = tempDir("synod-sigterm-");
    const p = spawnSynod(["serve", "raft", "--id", "n1", "--peers", `n1=127.0.0.1:${p1},n2=127.0.0.1:${p2}`, "--client-port", String(c1), "--data", dir]);
    await waitFor("serving", () => /serving raft/.test(p.output()), 10_000);
    expect(fs.existsSync(path.join(dir, "LOCK"))).toBe(true);
    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
    expect(p.output()).toMatch(/SIGTERM: shutting down/);
    expect(fs.existsSync(path.join(dir, "LOCK"))).toBe(false);
    fs.rmSync(dir, { recursive: true });
  });

  it("serve refuses durable state that Raft finds inconsistent (exit 3, naming the key)", async () => {
    const [p1, p2, c1] = await freePorts(3);
    const dir = tempDir("synod-raftcorrupt-");
    const args = ["serve", "raft", "--id", "n1", "--peers", `n1=127.0.0.1:${p1},n2=127.0.0.1:${p2}`, "--client-port", String(c1), "--data", dir];
    const first = spawnSynod(args);
    await waitFor("serving", () => /serving raft/.test(first.output()), 10_000);
    first.child.kill("SIGKILL");
    await first.exited;
    // Valid storage records, nonsense Raft state: storage cannot tell, the protocol must.
    const storage = FileStorage.open({ dir, log: () => {} });
    storage.append([{ key: "raft/hardstate", value: { term: "three", votedFor: 7 } }]);
    storage.close();
    const r = await runSynod(args);
    expect(r.code).toBe(3);
    expect(r.output).toMatch(/refusing to start: durable state in .* is damaged: .*raft\/hardstate/);
    fs.rmSync(dir, { recursive: true });
  });

  it("kv reports an unknown outcome with the ids to retry exactly-once, exit 1", async () => {
    const r = await runSynod(["kv", "--cluster", "127.0.0.1:9", "--timeout", "300ms", "--client-id", "me", "--seq", "7", "put", "k", "v"]);
    expect(r.code).toBe(1);
    expect(r.output).toMatch(/the outcome is unknown: retry with --client-id me --seq 7/);
  });
});

describe("expected.json and conformance rows", () => {
  it("reads the fixture and names the entry of a malformed one", () => {
    const entries = readExpected(path.join(FIXTURE_ROOT, "specs", "counter", "expected.json"));
    expect(entries.map((e) => [e.cfg, e.size, e.verdict])).toEqual([
      ["Counter.cfg", "ci", "ok"],
      ["CounterSmall.cfg", "ci", "invariant"],
      ["Counter.cfg", "full", "ok"],
    ]);
    const dir = tempDir("synod-expected-");
    const bad = path.join(dir, "expected.json");
    fs.writeFileSync(bad, JSON.stringify([{ cfg: "A.cfg", size: "ci", verdict: "ok", distinct: 1, generated: 1 }, { cfg: "B.cfg", size: "ci", verdict: "ok", distinct: -1, generated: 1 }]));
    expect(() => readExpected(bad)).toThrow(`${bad}: entry 1: "distinct" must be a count, got -1`);
    fs.writeFileSync(bad, "{ not json");
    expect(() => readExpected(bad)).toThrow(bad);
    fs.rmSync(dir, { recursive: true });
  });

  it("compares every figure TLC gives and lists each difference", () => {
    const e = readExpected(path.join(FIXTURE_ROOT, "specs", "counter", "expected.json"))[1]!;
    expect(compareWithExpected(e, { verdict: "invariant", name: "Small", distinct: 4, generated: 4, traceLength: 4 }).ok).toBe(true);
    const diff = compareWithExpected(e, { verdict: "invariant", name: "Small", distinct: 5, generated: 4, traceLength: 3 });
    expect(diff).toEqual({ ok: false, detail: "distinct 5, expected 4; trace length 3, expected 4" });
  });

  it("compares only the verdict of an entry whose TLC counts are not reproducible (countsReliable: false)", () => {
    const e = { ...readExpected(path.join(FIXTURE_ROOT, "specs", "counter", "expected.json"))[1]!, countsReliable: false };
    expect(compareWithExpected(e, { verdict: "invariant", name: null, distinct: 9, generated: 12, traceLength: 7 }).ok).toBe(true);
    expect(compareWithExpected(e, { verdict: "ok", name: null, distinct: 4, generated: 4, traceLength: null })).toMatchObject({ ok: false, detail: "verdict ok, expected invariant" });
  });

  it("renders aligned tables", () => {
    expect(renderTable(["a", "bb"], [["xxx", "y"]])).toBe("a    bb\n---  --\nxxx  y");
    expect(renderTable(["a"], [["two\n  lines"]])).toBe("a\n---------\ntwo lines");
  });
});

describe("synod verify against a checkout", () => {
  it("checks every ci model with the TLA+ checker and passes when the figures match TLC's", async () => {
    // Two jobs: the models run on worker threads, each shown on stderr as it starts and ends.
    const r = await runSynod(["verify", "--root", FIXTURE_ROOT, "--no-conformance", "--jobs", "2"], 60_000);
    expect(r.stderr).toMatch(/^start tla specs\/counter\/Counter\.cfg$/m);
    expect(r.stderr).toMatch(/^ok {4}tla specs\/counter\/CounterSmall\.cfg {2}\d+\.\d s, [\d,]+ states\/s$/m);
    expect(r.stdout).toMatch(/^1 +tla specs\/counter\/Counter\.cfg +ok +\d+\.\d$/m);
    expect(r.stdout).toMatch(/^ {2}2\. invariant Small, trace 4; 4 distinct, 4 generated \(= TLC\)/m);
    expect(r.stdout).toMatch(/2 of 2 checks passed in \d+\.\d s/);
    expect(r.code).toBe(0);
  });

  it("fails with a row naming the difference when a figure does not match", async () => {
    const r = await runSynod(["verify", "--root", FIXTURE_ROOT, "--full", "--no-conformance"], 60_000);
    expect(r.stdout).toMatch(/^1 +tla specs\/counter\/Counter\.cfg +FAIL/m);
    expect(r.stdout).toMatch(/^ {2}1\. FAIL: distinct 6, expected 7; generated 6, expected 7/m);
    expect(r.code).toBe(1);
  });

  it("--json gives every row, its figures and the verdict to scripts", async () => {
    const r = await runSynod(["verify", "--root", FIXTURE_ROOT, "--no-conformance", "--json"], 60_000);
    const out = JSON.parse(r.stdout) as { ok: boolean; size: string; passed: number; failed: number; rows: { check: string; ok: boolean; detail: string; statesPerSecond?: number }[] };
    expect(out).toMatchObject({ ok: true, size: "ci", passed: 2, failed: 0 });
    expect(out.rows.map((x) => x.check)).toEqual(["tla specs/counter/Counter.cfg", "tla specs/counter/CounterSmall.cfg"]);
    expect(out.rows[1]!.detail).toBe("invariant Small, trace 4; 4 distinct, 4 generated (= TLC)");
    expect(r.code).toBe(0);
  });

  it("refuses --full with another --size, and a bad --jobs", async () => {
    const a = await runSynod(["verify", "--root", FIXTURE_ROOT, "--full", "--size", "ci"]);
    expect(a.stderr).toMatch(/--full and --size ci disagree/);
    expect(a.code).toBe(2);
    const b = await runSynod(["verify", "--root", FIXTURE_ROOT, "--jobs", "0"]);
    expect(b.stderr).toMatch(/--jobs/);
    expect(b.code).toBe(2);
  });

  it("refuses a root without specs/", async () => {
    const dir = tempDir("synod-noroot-");
    const r = await runSynod(["verify", "--root", dir]);
    expect(r.output).toMatch(/no specs\/ folder in/);
    expect(r.code).toBe(2);
    fs.rmSync(dir, { recursive: true });
  });
});

describe("synod verify, conformance and replay on a checkout with a registered protocol", () => {
  // The toy protocol of docs/adding-a-protocol.md: a spec and a package with a descriptor, nothing
  // in conformance/ or packages/cli. Its descriptor is TypeScript, so these run in-process.
  const TOY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "conformance", "template");

  it("verify model-checks the spec, then runs the protocol's conformance, one row per check", async () => {
    const r = await runInProcess(["verify", "--root", TOY, "--jobs", "1"]);
    expect(r.stdout).toMatch(/^1 +tla specs\/counter\/Counter\.cfg +ok/m);
    expect(r.stdout).toMatch(/^ {2}1\. ok; 12430 distinct, 159677 generated \(= TLC\)/m);
    expect(r.stdout).toMatch(/conformance counter: histories: linearizable under faults +ok/);
    expect(r.stdout).toMatch(/conformance counter: broken variant caught: forgetOnRestart +ok/);
    expect(r.stdout).toMatch(/7 of 7 checks passed/);
    expect(r.code).toBe(0);
  });

  it("a spec folder no descriptor claims fails verify's conformance, with the reason", async () => {
    const r = await runInProcess(["verify", "--root", FIXTURE_ROOT, "--jobs", "1"]);
    expect(r.stdout).toMatch(/^\d+ +conformance specs\/counter +FAIL/m);
    expect(r.stdout).toMatch(/FAIL: no protocol descriptor \(package\.json "synod\.kit"\) claims this spec folder/);
    expect(r.code).toBe(1);
  });

  it("--validate-mode needs --validate-seed and a trace validation the protocol has, named", async () => {
    const alone = await runInProcess(["conformance", "counter", "--root", TOY, "--validate-mode", "production"]);
    expect(alone.stderr).toMatch(/--validate-mode: only with --validate-seed/);
    expect(alone.code).toBe(2);
    const unknown = await runInProcess(["conformance", "counter", "--root", TOY, "--validate-seed", "1", "--validate-mode", "production"]);
    expect(unknown.stderr).toMatch(/--validate-mode: counter has no trace validation "production" \(it has: none but the main one\)/);
    expect(unknown.code).toBe(2);
  });

  it("conformance names an unknown protocol, and replay re-runs a recorded failure", async () => {
    const unknown = await runInProcess(["conformance", "zab", "--root", TOY]);
    expect(unknown.stderr).toMatch(/unknown protocol "zab" \(known: counter\)/);
    expect(unknown.code).toBe(2);
    const { checkHistories, findKit } = await import("@synod/conformance");
    const kit = await findKit("counter", { root: TOY });
    const dir = tempDir("synod-replay-");
    const failure = (await checkHistories(kit, { seed: 3, numRuns: 40, variant: "forgetOnRestart", replayDir: dir })).failure;
    expect(failure).not.toBeNull();
    const rep = await runInProcess(["replay", failure!.replayFile, "--root", TOY]);
    expect(rep.stdout).toMatch(/reproduced: yes/);
    expect(rep.stdout).toMatch(/not linearizable/);
    expect(rep.code).toBe(1);
    const missing = await runInProcess(["replay", path.join(dir, "nope.json"), "--root", TOY]);
    expect(missing.stderr).toMatch(/nope\.json: no such file/);
    expect(missing.code).toBe(2);
    fs.rmSync(dir, { recursive: true });
  });
});

/** Run `synod args...` in this process (the toy's descriptor is TypeScript, which vitest loads). */
async function runInProcess(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  const { buildProgram } = await import("../src/program.js");
  let stdout = "";
  let stderr = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((stderr += String(chunk)), true));
  const before = process.exitCode;
  process.exitCode = 0;
  try {
    await buildProgram().parseAsync(["node", "synod", ...args]);
    return { stdout, stderr, code: Number(process.exitCode ?? 0) };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = before;
  }
}
