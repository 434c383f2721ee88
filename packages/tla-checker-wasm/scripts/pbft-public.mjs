#!/usr/bin/env node
// Check the public PBFT specification of github.com/heidihoward/pbft-tlaplus with tla-check and
// with TLC, side by side, at the stages of its history (normal case, checkpoints, view change,
// Byzantine replicas), and print the table specs/pbft/README.md records ("Public PBFT specs").
//
//   node scripts/pbft-public.mjs --repo DIR [--jar PATH] [--cpu-limit S] [--only NAME]... [--all] [--json FILE]
//        [--record-tlc]
//
// Without --only, the models TLC finishes within minutes run; --all adds the `heavy` ones (the
// Byzantine injection and the authors' larger constants: TLC gave no result within 25-40 s of CPU
// time on any of them, see specs/pbft/README.md).
//
// DIR is a clone of https://github.com/heidihoward/pbft-tlaplus (or PBFT_TLAPLUS=DIR); each model
// names the commit it reads (`git -C DIR archive <commit>` into a temporary folder: nothing is
// written into DIR). A model either runs the authors' own MCpbft.cfg unchanged, or ours: a wrapper
// module `SynodMCpbft` (written here, EXTENDS the authors' MCpbft) with smaller constants, and the
// authors' cfg with those constants' substitutions pointed at it. The wrapper is this script's
// text, not the authors'.
//
// Both checkers run with one worker, each in its own process under `ulimit -t S` (default 600 s
// of CPU), and each row reports their verdict, distinct and generated states and CPU seconds.
// TLC runs when --jar (or SYNOD_TLC_JAR) names tla2tools.jar; otherwise its figures come from
// scripts/pbft-public-tlc-figures.json, which --record-tlc (re)writes.
//
// Exit status: 0 when every model that TLC finished agrees (verdict and counts), 1 otherwise, 2 on
// bad usage.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseTlcOutput } from "./tlc-run.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(resolve(here, ".."), "bin", "tla-check.js");
const figuresFile = join(here, "pbft-public-tlc-figures.json");

/**
 * The models. `overrides` maps a CONSTANT the authors' cfg substitutes (`Tstamps <- MC_Tstamps`)
 * to a TLA+ expression of ours; none means the authors' model as committed. `about` says what
 * the stage of the spec adds.
 */
export const MODELS = [
  { name: "normal-case", heavy: true, commit: "2747ba2", about: "first MC split: pre-prepare/prepare/commit/reply, Tstamps 1..2, one Byzantine backup (authors' cfg)", overrides: null },
  { name: "normal-case-honest", heavy: true, commit: "2747ba2", about: "the same spec, no Byzantine replica", overrides: { ByzR: "{}" } },
  { name: "checkpoints-byz-primary", heavy: true, commit: "301194f", about: "checkpointing added; Byzantine primary (replica 0), 1 request, checkpoint at 1", overrides: { Tstamps: "1..1", Checkpoints: "{1}" } },
  { name: "checkpoints-honest", heavy: true, commit: "301194f", about: "checkpointing, no Byzantine replica, 2 requests, checkpoint at 2", overrides: { ByzR: "{}", Tstamps: "1..2", Checkpoints: "{2}" } },
  { name: "stable-checkpoints", heavy: true, commit: "a793a45", about: "stable checkpoints and watermarks; authors' cfg (no Byzantine replica, 3 requests, no checkpoints)", overrides: null },
  { name: "stable-checkpoints-small", heavy: true, commit: "a793a45", about: "stable checkpoints, 2 requests, checkpoint at 2", overrides: { Tstamps: "1..2", Checkpoints: "{2}" } },
  { name: "view-change-mock", heavy: true, commit: "8072226", about: "view change mocked up; 1 request, views 0..1", overrides: { Tstamps: "1..1", Views: "0..1" } },
  { name: "view-change", commit: "655ab32", about: "view change accepted; 1 request, views 0..1", overrides: { Tstamps: "1..1", Views: "0..1" } },
  { name: "view-change-byz", heavy: true, commit: "655ab32", about: "view change accepted; Byzantine backup 3, 1 request, views 0..1", overrides: { Tstamps: "1..1", Views: "0..1", ByzR: "{3}" } },
  { name: "relaxed-committed", commit: "0836a9f", about: "restricted message injection, relaxed committed; 1 request, views 0..1, no checkpoints", overrides: { Tstamps: "1..1", Views: "0..1", Checkpoints: "{}" } },
  { name: "apalache-inductive", commit: "b051d12", about: "HEAD: APAIndpbft.tla (EXTENDS Apalache, for Apalache's inductive check) with APApbft.cfg: TLC cannot load module Apalache, and neither may tla-check, by name", overrides: null, spec: "APAIndpbft.tla", cfg: "APApbft.cfg", refusal: /Cannot find module Apalache/ },
  { name: "head-simulate", commit: "b051d12", about: "HEAD: the authors' MCpbft.cfg (SpecByz, Byzantine injection, random initial states from Randomization) in the mode their CI runs it: simulation, 20 behaviours of depth 25, seed 1 (verdict only: random walks differ between checkers)", overrides: null, simulate: { num: 20, depth: 25, seed: 1 } },
  { name: "relaxed-committed-byz-view0", heavy: true, commit: "0836a9f", about: "the same, Byzantine backup 3, one view (no view change)", overrides: { Tstamps: "1..1", Views: "{0}", Checkpoints: "{}", ByzR: "{3}" } },
  { name: "view-change-byz-view0", heavy: true, commit: "655ab32", about: "view change accepted; Byzantine backup 3, 1 request, one view", overrides: { Tstamps: "1..1", Views: "{0}", ByzR: "{3}" } },
  { name: "relaxed-committed-byz", heavy: true, commit: "0836a9f", about: "the same with Byzantine backup 3", overrides: { Tstamps: "1..1", Views: "0..1", Checkpoints: "{}", ByzR: "{3}" } },
];

function usage(message) {
  process.stderr.write(`pbft-public: ${message}\n`);
  process.stderr.write("usage: node scripts/pbft-public.mjs --repo DIR [--jar PATH] [--cpu-limit S] [--only NAME]... [--all] [--json FILE] [--record-tlc]\n");
  process.exit(2);
}

/** Extract one commit of the repository into a fresh folder and add our wrapper if asked. */
export function prepare(repo, model) {
  const dir = mkdtempSync(join(tmpdir(), `pbft-public-${model.name}-`));
  const tar = spawnSync("git", ["-C", repo, "archive", model.commit], { maxBuffer: 1 << 28 });
  if (tar.status !== 0) throw new Error(`${repo}: git archive ${model.commit} failed: ${tar.stderr}`);
  const untar = spawnSync("tar", ["-x", "-C", dir], { input: tar.stdout });
  if (untar.status !== 0) throw new Error(`tar: ${untar.stderr}`);
  const authorsCfg = join(dir, "MCpbft.cfg");
  if (!existsSync(authorsCfg)) throw new Error(`${model.name}: commit ${model.commit} has no MCpbft.cfg`);
  if (model.overrides === null) return { dir, spec: model.spec ?? "MCpbft.tla", cfg: model.cfg ?? "MCpbft.cfg", simulate: model.simulate };
  const defs = Object.entries(model.overrides).map(([k, v]) => `Synod_${k} == ${v}`);
  writeFileSync(join(dir, "SynodMCpbft.tla"), ["---- MODULE SynodMCpbft ----", "\\* Smaller constants for the authors' MCpbft (written by Synod's scripts/pbft-public.mjs).", "EXTENDS MCpbft", "", ...defs, "====", ""].join("\n"));
  let cfg = readFileSync(authorsCfg, "utf8");
  for (const k of Object.keys(model.overrides)) {
    const line = new RegExp(`^(\\s*${k}\\s*<-\\s*)\\S+\\s*$`, "m");
    if (!line.test(cfg)) throw new Error(`${model.name}: the authors' MCpbft.cfg at ${model.commit} has no "${k} <- ..." substitution to override`);
    cfg = cfg.replace(line, `$1Synod_${k}`);
  }
  writeFileSync(join(dir, "SynodMCpbft.cfg"), cfg);
  return { dir, spec: "SynodMCpbft.tla", cfg: "SynodMCpbft.cfg", simulate: model.simulate };
}

/** CPU seconds of this process's reaped children (cutime + cstime, /proc/self/stat). */
function childCpuSeconds() {
  const stat = readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

function limited(cpuLimitS, argv, cwd) {
  const before = childCpuSeconds();
  const started = Date.now();
  const r = spawnSync("/bin/sh", ["-c", `ulimit -t ${cpuLimitS} && exec "$@"`, "sh", ...argv], { cwd, encoding: "utf8", maxBuffer: 1 << 28 });
  return { ...r, cpu: Math.round((childCpuSeconds() - before) * 100) / 100, wall: (Date.now() - started) / 1000, cpuLimited: r.signal === "SIGXCPU" || r.signal === "SIGKILL" };
}

function runTlc(jar, prepared, cpuLimitS) {
  const meta = mkdtempSync(join(tmpdir(), "pbft-public-meta-"));
  const sim = prepared.simulate;
  const mode = sim === undefined ? [] : ["-simulate", `num=${sim.num}`, "-depth", String(sim.depth), "-seed", String(sim.seed)];
  const argv = ["java", "-XX:+UseParallelGC", "-cp", jar, "tlc2.TLC", "-workers", "1", "-noGenerateSpecTE", "-metadir", meta, ...mode, "-config", prepared.cfg, prepared.spec];
  const r = limited(cpuLimitS, argv, prepared.dir);
  rmSync(meta, { recursive: true, force: true });
  if (r.cpuLimited) return { verdict: "timeout", cpu: r.cpu, wall: r.wall };
  const p = parseTlcOutput(`${r.stdout}${r.stderr}`);
  // TLC's simulator prints no "Model checking completed" line: exit status 0 and no error is "ok".
  if (sim !== undefined && p.verdict === "unknown" && r.status === 0) p.verdict = "ok";
  return { verdict: p.verdict, name: p.name, distinct: p.distinct, generated: p.generated, depth: p.depth, message: p.message, cpu: r.cpu, wall: r.wall };
}

function runOurs(prepared, cpuLimitS) {
  const sim = prepared.simulate;
  const mode = sim === undefined ? ["--workers", "1"] : ["--simulate", "--num", String(sim.num), "--depth", String(sim.depth), "--seed", String(sim.seed)];
  const argv = [process.execPath, "--stack-size=4000", cli, prepared.spec, "--config", prepared.cfg, ...mode, "--json"];
  const r = limited(cpuLimitS, argv, prepared.dir);
  if (r.cpuLimited) return { verdict: "timeout", cpu: r.cpu, wall: r.wall };
  const line = r.stdout.trim().split("\n").pop() ?? "";
  try {
    const j = JSON.parse(line);
    return { verdict: j.verdict, name: j.name, distinct: j.distinct, generated: j.generated, depth: j.depth, error: j.error?.message, cpu: r.cpu, wall: r.wall };
  } catch {
    return { verdict: "crash", detail: `${r.stdout}${r.stderr}`.slice(-1500), cpu: r.cpu, wall: r.wall };
  }
}

function agree(tlc, ours, simulated, refusal) {
  if (refusal !== undefined) {
    if (tlc === undefined) return "no TLC figures";
    if (tlc.verdict !== "parse") return `TLC was expected to refuse the spec, but: ${tlc.verdict}`;
    return ours.verdict === "error" && refusal.test(ours.error ?? "") ? "agree (both refuse)" : `tla-check did not refuse it by name (${ours.verdict}: ${ours.error ?? ""})`;
  }
  if (tlc === undefined || tlc.verdict === "timeout") return "TLC did not finish";
  if (ours.verdict === "timeout") return "tla-check did not finish";
  if (tlc.verdict !== ours.verdict) return `verdicts differ (TLC ${tlc.verdict}, tla-check ${ours.verdict})`;
  if (tlc.verdict === "invariant" && tlc.name !== ours.name) return `different invariants (TLC ${tlc.name}, tla-check ${ours.name})`;
  if (tlc.verdict === "ok" && !simulated && (tlc.distinct !== ours.distinct || tlc.generated !== ours.generated)) return "counts differ";
  return "agree";
}

async function main() {
  const argv = process.argv.slice(2);
  let repo = process.env.PBFT_TLAPLUS;
  let jar = process.env.SYNOD_TLC_JAR;
  let cpuLimitS = 600;
  let jsonOut = null;
  let record = false;
  let all = false;
  const only = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      return v;
    };
    if (a === "--repo") repo = value();
    else if (a === "--jar") jar = value();
    else if (a === "--cpu-limit") cpuLimitS = Number(value());
    else if (a === "--only") only.push(value());
    else if (a === "--json") jsonOut = value();
    else if (a === "--record-tlc") record = true;
    else if (a === "--all") all = true;
    else usage(`unknown option ${a}`);
  }
  if (repo === undefined) usage("--repo DIR: a clone of https://github.com/heidihoward/pbft-tlaplus (or PBFT_TLAPLUS=DIR)");
  if (spawnSync("git", ["-C", repo, "cat-file", "-e", "2747ba2^{commit}"]).status !== 0) usage(`${repo}: not a clone of heidihoward/pbft-tlaplus (commit 2747ba2 not found)`);
  if (!Number.isInteger(cpuLimitS) || cpuLimitS <= 0) usage("--cpu-limit needs a positive whole number of seconds");
  if (record && jar === undefined) usage("--record-tlc needs --jar PATH (or SYNOD_TLC_JAR)");
  if (jar !== undefined && !existsSync(jar)) usage(`--jar ${jar}: no such file`);
  const unknown = only.filter((o) => !MODELS.some((m) => m.name === o));
  if (unknown.length > 0) usage(`--only ${unknown.join(", ")}: no such model (models: ${MODELS.map((m) => m.name).join(", ")})`);
  const figures = existsSync(figuresFile) ? JSON.parse(readFileSync(figuresFile, "utf8")) : {};
  const rows = [];
  let failed = false;
  for (const model of MODELS.filter((m) => (only.length === 0 ? all || m.heavy !== true : only.includes(m.name)))) {
    const prepared = prepare(repo, model);
    try {
      const tlc = jar !== undefined ? runTlc(jar, prepared, cpuLimitS) : figures[model.name];
      const ours = runOurs(prepared, cpuLimitS);
      const status = agree(tlc, ours, model.simulate !== undefined, model.refusal);
      if (!status.startsWith("agree") && status !== "TLC did not finish") failed = true;
      rows.push({ model: model.name, commit: model.commit, about: model.about, overrides: model.overrides, tlc, ours, status });
      const fig = (r) => (r === undefined ? "no figures" : r.verdict === "timeout" ? `timeout after ${r.cpu} s CPU` : model.simulate !== undefined ? `${r.verdict}, ${model.simulate.num} behaviours of depth ${model.simulate.depth} (seed ${model.simulate.seed}), ${r.cpu} s CPU` : `${r.verdict}${r.name ? ` ${r.name}` : ""}, ${r.distinct} distinct / ${r.generated} generated, ${r.cpu} s CPU`);
      process.stdout.write(`${model.name} (${model.commit}): ${status}\n  TLC:       ${fig(tlc)}\n  tla-check: ${fig(ours)}${ours.error ? `\n  error: ${ours.error}` : ""}${ours.detail ? `\n  ${ours.detail}` : ""}\n`);
    } finally {
      rmSync(prepared.dir, { recursive: true, force: true });
    }
  }
  if (record) {
    // Re-read before writing: another run (--only other models) may have recorded since.
    const now = existsSync(figuresFile) ? JSON.parse(readFileSync(figuresFile, "utf8")) : {};
    for (const r of rows) now[r.model] = r.tlc;
    writeFileSync(figuresFile, `${JSON.stringify(now, null, 2)}\n`);
  }
  if (jsonOut !== null) writeFileSync(jsonOut, `${JSON.stringify(rows, null, 2)}\n`);
  process.exitCode = failed ? 1 : 0;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
