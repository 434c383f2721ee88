import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it, vi } from "vitest";
import { mergeRanges, seedRanges, shardSeeds } from "@synod/conformance";
import { runSynod, spawnSynod } from "./processes.js";
import { tempDir } from "./helpers.js";

const TOY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "conformance", "template");

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

describe("shards", () => {
  it("split a seed range into contiguous, disjoint, complete pieces", () => {
    const pieces = [0, 1, 2].map((i) => shardSeeds(1, 10, i, 3));
    expect(pieces).toEqual([[1, 3], [4, 6], [7, 10]]);
    expect(mergeRanges(pieces as [number, number][])).toEqual([[1, 10]]);
    // Two seeds over three shards: one shard has none.
    expect([0, 1, 2].map((i) => shardSeeds(1, 2, i, 3))).toEqual([null, [1, 1], [2, 2]]);
    expect(() => mergeRanges([[1, 5], [5, 8]])).toThrow("seed ranges 1-5 and 5-8 overlap");
  });
});

describe("synod soak", () => {
  it("runs two shards of a protocol's schedules and merges their reports into one", async () => {
    const dir = tempDir("synod-soak-");
    const a = await runInProcess(["soak", "counter", "--root", TOY, "--seeds", "6", "--shard", "0/2", "--workers", "1", "--out", path.join(dir, "a.json")]);
    const b = await runInProcess(["soak", "counter", "--root", TOY, "--seeds", "6", "--shard", "1/2", "--workers", "1", "--out", path.join(dir, "b.json")]);
    expect(a.stdout).toMatch(/soak counter: seeds 1-3/);
    expect(b.stdout).toMatch(/soak counter: seeds 4-6/);
    expect(a.code).toBe(0);
    const m = await runInProcess(["soak", "--merge", path.join(dir, "a.json"), path.join(dir, "b.json"), "--out", path.join(dir, "m.json")]);
    expect(m.stdout).toMatch(/seeds 1-6\n\s+schedules run\s+6\n\s+safety violations\s+0/);
    expect(m.code).toBe(0);
    const merged = JSON.parse(fs.readFileSync(path.join(dir, "m.json"), "utf8"));
    expect(merged).toMatchObject({ format: "synod-soak/1", protocol: "counter", seeds: [[1, 6]], schedules: 6 });
    const twice = await runInProcess(["soak", "--merge", path.join(dir, "a.json"), path.join(dir, "a.json")]);
    expect(twice.stderr).toMatch(/seed ranges 1-3 and 1-3 overlap/);
    expect(twice.code).toBe(2);
    fs.rmSync(dir, { recursive: true });
  });

  it("refuses bad flags, naming them", async () => {
    expect((await runInProcess(["soak", "counter", "--root", TOY])).stderr).toMatch(/--seeds: how many schedules\?/);
    expect((await runInProcess(["soak", "counter", "--root", TOY, "--seeds", "4", "--shard", "2/2"])).stderr).toMatch(/--shard: "2\/2" is not i\/n with 0 <= i < n/);
    expect((await runInProcess(["soak", "zab", "--root", TOY, "--seeds", "4"])).stderr).toMatch(/unknown protocol "zab"/);
  });

  it("spreads Raft's schedules over worker threads", async () => {
    const dir = tempDir("synod-soak-");
    const r = await runSynod(["soak", "raft", "--seeds", "4", "--workers", "2", "--out", path.join(dir, "r.json")], 120_000);
    expect(r.stdout).toMatch(/schedules run\s+4/);
    expect(r.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(dir, "r.json"), "utf8")).workerSeconds).toBeGreaterThan(0);
    fs.rmSync(dir, { recursive: true });
  }, 180_000);
});

describe("synod soak stopped by a signal", () => {
  // Ctrl-C or a CI job's timeout: the report keeps the schedules that ran, names their seeds, says
  // it was interrupted, and the exit status says incomplete (TLC's 124), never a pass.
  for (const workers of ["1", "2"]) {
    it(`keeps what ran and says so (${workers} worker${workers === "1" ? "" : "s"})`, async () => {
      const dir = tempDir("synod-soak-int-");
      const out = path.join(dir, "r.json");
      const p = spawnSynod(["soak", "raft", "--seeds", "100000", "--workers", workers, "--out", out]);
      // Wait for a few schedules to finish (the plain progress line comes every 10 s).
      const deadline = Date.now() + 120_000;
      while (!/soak raft: [1-9]\d*\/100000 schedules/.test(p.output()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      p.child.kill("SIGINT");
      const code = await p.exited;
      expect(code).toBe(124);
      expect(p.stdout()).toMatch(/soak raft: INTERRUPTED after \d+ of 100000 schedules/);
      const report = JSON.parse(fs.readFileSync(out, "utf8")) as { schedules: number; seeds: [number, number][]; interrupted: { planned: number } };
      expect(report.interrupted).toEqual({ planned: 100000 });
      expect(report.schedules).toBeGreaterThan(0);
      expect(report.seeds.reduce((n, [a, b]) => n + b - a + 1, 0)).toBe(report.schedules);
      fs.rmSync(dir, { recursive: true });
    }, 180_000);
  }

  it("lists the seeds that ran as ranges", () => {
    expect(seedRanges([5, 1, 2, 3, 9, 8])).toEqual([[1, 3], [5, 5], [8, 9]]);
    expect(seedRanges([])).toEqual([]);
  });
});
