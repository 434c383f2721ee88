// TLC features public specs use, each against TLC 2.20's own output on a small spec of ours
// (test/engine/fixtures/tlc-features): TLCSet("exit", TRUE) and TLC 2.20's other TLCSet keys,
// TLCExt's Trace, unary minus with only Naturals (SANY's error), and TLC's action labels for
// actions reached through an unnamed INSTANCE. cases.json holds TLC's summary of each run
// (exit status, verdict line, figures, state headers), recorded
// by running TLC 2.20 (one worker) on each case exactly as `recordTlc` below does.
// Where tla-check differs on purpose, the case says so (`oursCode`, `oursVerdict`, with `about`).
// With SYNOD_TLC_JAR set, TLC is run again on every case and must still print the recording.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { summary } from "./fixtures/tlc-features/summary.mjs";

const fixtures = fileURLToPath(new URL("./fixtures/tlc-features", import.meta.url));
const jar = process.env.SYNOD_TLC_JAR;

interface Summary {
  code: number | null;
  verdict: string | null;
  figures: string | null;
  labels: string[];
}

interface Case {
  name: string;
  spec: string;
  cfg: string;
  about: string;
  tlc: Summary;
  /** tla-check's exit status where it differs from TLC's on purpose. */
  oursCode?: number;
  /** tla-check's verdict line where it differs from TLC's. */
  oursVerdict?: string;
  /** tla-check's state headers where they differ from TLC's. */
  oursLabels?: string[];
  /** Text tla-check's standard error must contain. */
  oursErr?: string;
}

const cases: Case[] = JSON.parse(readFileSync(join(fixtures, "cases.json"), "utf8"));
const scratch: string[] = [];
afterAll(() => {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

function workDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "tlc-features-"));
  scratch.push(dir);
  for (const f of readdirSync(fixtures)) if (/\.(tla|cfg)$/.test(f)) cpSync(join(fixtures, f), join(dir, f));
  return dir;
}

/** TLC's summary of a case (the recording is made with this). */
function recordTlc(c: Case, tlcJar: string): Summary {
  const dir = workDir();
  const r = spawnSync("java", ["-XX:+UseParallelGC", "-cp", tlcJar, "tlc2.TLC", "-workers", "1", "-noGenerateSpecTE", "-metadir", join(dir, "m"), "-config", c.cfg, c.spec], { cwd: dir, encoding: "utf8" });
  return summary(r.stdout, r.status) as Summary;
}

describe("TLC features against TLC 2.20's output", () => {
  for (const c of cases) {
    it(`${c.name}: ${c.about}`, async () => {
      const dir = workDir();
      let out = "";
      let err = "";
      const code = await main([join(dir, c.spec), "--config", join(dir, c.cfg), "--workers", "1"], { out: (t) => void (out += t), err: (t) => void (err += t), errIsTTY: false });
      const ours = summary(out, code) as Summary;
      expect(ours, `${c.name}\n${out}\n${err}`).toEqual({ ...c.tlc, code: c.oursCode ?? c.tlc.code, verdict: c.oursVerdict ?? c.tlc.verdict, labels: c.oursLabels ?? c.tlc.labels });
      if (c.oursErr) expect(err).toContain(c.oursErr);
    });
  }

  it("TLCSet(\"exit\", TRUE) ends a simulation after the walk in progress, and says so", async () => {
    const dir = workDir();
    let out = "";
    const code = await main([join(dir, "Ex.tla"), "--config", join(dir, "Ex.cfg"), "--simulate", "--depth", "20", "--num", "50", "--seed", "1", "--json"], { out: (t) => void (out += t), err: () => {}, errIsTTY: false });
    const j = JSON.parse(out.trim().split("\n").pop()!);
    expect([code, j.verdict, j.traces, j.stoppedBy]).toEqual([0, "ok", 1, "exit"]);
  });

  it("TLCExt's Trace outside a model-checking search (simulation) is refused by name", async () => {
    const dir = workDir();
    let err = "";
    const code = await main([join(dir, "Tr.tla"), "--config", join(dir, "Tr2.cfg"), "--simulate", "--num", "1", "--seed", "1"], { out: () => {}, err: (t) => void (err += t), errIsTTY: false });
    expect(code).toBe(151);
    expect(err).toContain("TLCExt's Trace outside a model-checking search");
  });

  it("the recordings are TLC's current output (live TLC when SYNOD_TLC_JAR is set)", () => {
    for (const c of cases) expect(c.tlc.verdict, c.name).not.toBeNull();
    if (!jar) return;
    for (const c of cases) expect(recordTlc(c, jar), c.name).toEqual(c.tlc);
  }, 600_000);
});
