#!/usr/bin/env node
// Check the public TLA+ examples (github.com/tlaplus/Examples) with tla-check and compare with TLC.
//
//   node scripts/examples-corpus.mjs [--examples DIR] [--lib DIR]... [--only SUBSTRING]... [--skip SUBSTRING]...
//        [--timeout SECONDS] [--cpu-limit SECONDS] [--workers N] [--json FILE] [--record-tlc --jar PATH]
//
// DIR is a local checkout of tlaplus/Examples (or set TLA_EXAMPLES). Every model its manifests
// list as an "exhaustive search" that TLC finishes within a minute is run through tla-check (the
// built CLI, `--json`, one process per model, from the spec's folder) and compared with TLC's
// result: the verdict class (success, safety, liveness, deadlock, assumption failure) and, where
// known, the distinct and generated state counts. The manifest gives the counts of most successful
// models; for the others (and for failures, whose counts the manifest does not record) TLC's
// figures are read from `scripts/examples-tlc-figures.json`, which `--record-tlc` writes by running
// TLC (`--jar`, default $SYNOD_TLC_JAR) with one worker. TLC's depth is not compared (TLC's depth
// is not deterministic: tlaplus/tlaplus#883), as the Examples' own CI does.
//
// --lib adds module folders searched after the spec's own, for both checkers (TLC: its class
// path): the Examples need the CommunityModules' .tla files (github.com/tlaplus/CommunityModules,
// modules/) and TLAPS.tla (github.com/tlaplus/tlapm, library/). Or set TLA_EXAMPLES_LIBS to a
// colon-separated list. Models that use a community module TLC implements in Java only (IOUtils,
// Json, CSV, ...) are expected to be refused with an error naming it (status "refused").
//
// --timeout bounds each model's wall time (default 180 s); --cpu-limit bounds its CPU time instead
// (`ulimit -t`: the kernel stops the process), which measures the same on a loaded machine, where
// a niced run gets a small share of the cores. Each row reports wall and CPU seconds.
//
// Exit status: 0 when every model agrees with TLC (refused ones included as failures), 1 otherwise,
// 2 on bad usage (e.g. no Examples checkout).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { runTlc } from "./tlc-run.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const pkg = resolve(here, "..");
const figuresFile = join(here, "examples-tlc-figures.json");
const cli = join(pkg, "bin", "tla-check.js");

function usage(message) {
  process.stderr.write(`examples-corpus: ${message}\n`);
  process.stderr.write(
    "usage: node scripts/examples-corpus.mjs --examples DIR [--lib DIR]... [--only SUBSTRING]... [--skip SUBSTRING]... [--timeout S] [--cpu-limit S] [--workers N] [--json FILE] [--record-tlc --jar PATH]\n" +
      "  DIR: a checkout of https://github.com/tlaplus/Examples (or TLA_EXAMPLES=DIR)\n",
  );
  process.exit(2);
}

const argv = process.argv.slice(2);
let examples = process.env.TLA_EXAMPLES ?? null;
const libDirs = (process.env.TLA_EXAMPLES_LIBS ?? "").split(":").filter(Boolean).map((d) => resolve(d));
const only = [];
const skip = [];
let timeoutS = 180;
let cpuLimitS = null;
let workers = 1;
let jsonOut = null;
let recordTlc = false;
let jar = process.env.SYNOD_TLC_JAR ?? null;
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const value = () => (i + 1 < argv.length ? argv[++i] : usage(`${a} needs a value`));
  if (a === "--examples") examples = value();
  else if (a === "--lib") libDirs.push(resolve(value()));
  else if (a === "--only") only.push(value());
  else if (a === "--skip") skip.push(value());
  else if (a === "--timeout") timeoutS = Number(value());
  else if (a === "--cpu-limit") cpuLimitS = Number(value());
  else if (a === "--workers") workers = Number(value());
  else if (a === "--json") jsonOut = resolve(value());
  else if (a === "--record-tlc") recordTlc = true;
  else if (a === "--jar") jar = value();
  else if (a === "--help" || a === "-h") usage("help");
  else usage(`unknown argument ${a}`);
}
if (!examples) usage("no Examples checkout given: pass --examples DIR or set TLA_EXAMPLES (git clone https://github.com/tlaplus/Examples)");
examples = resolve(examples);
if (!existsSync(join(examples, "specifications"))) usage(`${examples} is not a checkout of tlaplus/Examples (it has no specifications/ folder)`);
if (!existsSync(join(pkg, "dist", "cli", "main.js"))) usage("the package is not built: run `npx -y pnpm@10 build` first");
if (recordTlc && !jar) usage("--record-tlc needs TLC: pass --jar PATH or set SYNOD_TLC_JAR");
for (const d of libDirs) if (!existsSync(d)) usage(`library folder ${d} does not exist`);
if (!(timeoutS > 0)) usage("--timeout needs a positive number of seconds");
if (cpuLimitS !== null && !(Number.isInteger(cpuLimitS) && cpuLimitS > 0)) usage("--cpu-limit needs a positive whole number of seconds");

/** "HH:MM:SS" to seconds; "unknown" to Infinity. */
function seconds(runtime) {
  const m = /^(\d\d):(\d\d):(\d\d)$/.exec(runtime);
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : Infinity;
}

/** The models the Examples' manifests list as exhaustive searches TLC finishes within a minute. */
function selectModels() {
  const out = [];
  const specs = join(examples, "specifications");
  for (const dir of readdirSync(specs).sort()) {
    const manifestPath = join(specs, dir, "manifest.json");
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
    for (const mod of manifest.modules) {
      for (const model of mod.models) {
        if (model.mode !== "exhaustive search" || seconds(model.runtime) > 60) continue;
        if (only.length > 0 && !only.some((s) => model.path.includes(s))) continue;
        if (skip.some((s) => model.path.includes(s))) continue;
        out.push({
          spec: mod.path,
          cfg: model.path,
          features: mod.features ?? [],
          result: model.result,
          distinct: model.distinctStates ?? null,
          generated: model.totalStates ?? null,
          runtime: model.runtime,
        });
      }
    }
  }
  return out;
}

const VERDICT_CLASS = {
  ok: "success",
  invariant: "safety failure",
  property: "safety failure",
  liveness: "liveness failure",
  deadlock: "deadlock failure",
  assume: "assumption failure",
};
const TLC_VERDICT_CLASS = { ...VERDICT_CLASS, error: "error", parse: "error", unknown: "error" };

/**
 * CPU seconds (user + system) of this process's reaped children so far: fields 16 and 17 of
 * /proc/self/stat (cutime, cstime), in clock ticks (100 per second on Linux). spawnSync reaps its
 * child, also one it kills at the timeout, so the difference around a run is that run's CPU time.
 * null where /proc is not available.
 */
function childCpuSeconds() {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // fields[0] is field 3 (state), so field n is fields[n - 3].
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return null;
  }
}

function runOurs(model) {
  const specPath = join(examples, model.spec);
  const cfgPath = join(examples, model.cfg);
  // The manifest's "action composition" models ask TLC for \cdot with a Java property and check
  // that it is set (TLCGet("-D...")); the same property for us.
  const props = model.features.includes("action composition") ? ["-Dtlc2.tool.impl.Tool.cdot=true"] : [];
  const args = [cli, specPath, "--config", cfgPath, "--json", "--workers", String(workers), ...props, ...libDirs.flatMap((d) => ["--lib", d])];
  const started = Date.now();
  const cpuBefore = childCpuSeconds();
  const node = [process.execPath, "--stack-size=4000", ...args];
  // `ulimit -t` in a shell that then becomes node: SIGXCPU at the limit (node dies of it).
  const command = cpuLimitS === null ? node : ["/bin/sh", "-c", `ulimit -t ${cpuLimitS} && exec "$@"`, "sh", ...node];
  const child = spawnSync(command[0], command.slice(1), {
    cwd: dirname(specPath),
    encoding: "utf8",
    timeout: timeoutS * 1000,
    maxBuffer: 1 << 26,
    killSignal: "SIGKILL",
  });
  const wall = (Date.now() - started) / 1000;
  const cpuAfter = childCpuSeconds();
  const cpu = cpuBefore === null || cpuAfter === null ? null : Math.round((cpuAfter - cpuBefore) * 100) / 100;
  // The kernel sends SIGXCPU at the CPU limit and SIGKILL a second later if the process is still
  // there; either means the limit was reached.
  // (Killed by a signal before the wall-clock timeout: the kernel's CPU accounting for the limit
  // and the reaped children's times we read can differ by several seconds.)
  const cpuLimited = cpuLimitS !== null && (child.signal === "SIGXCPU" || child.signal === "SIGKILL") && child.error?.code !== "ETIMEDOUT";
  if (cpuLimited) return { verdict: "timeout", cpuLimited: true, seconds: wall, cpu, exit: null };
  if (child.error?.code === "ETIMEDOUT" || (child.signal === "SIGKILL" && child.status === null)) return { verdict: "timeout", seconds: wall, cpu, exit: null };
  const line = child.stdout.trim().split("\n").pop() ?? "";
  try {
    const r = JSON.parse(line);
    return { ...r, seconds: wall, cpu, exit: child.status, stderr: child.stderr.slice(-2000) };
  } catch {
    return { verdict: "crash", seconds: wall, cpu, exit: child.status, detail: `${child.stdout}${child.stderr}`.slice(-1500) };
  }
}

/** TLC's figures for a model: the manifest's counts, else the recorded TLC run. */
function expectedFor(model, figures) {
  const recorded = figures[model.cfg];
  if (model.result === "success" && model.distinct !== null && model.generated !== null) {
    return { result: model.result, distinct: model.distinct, generated: model.generated, source: "manifest" };
  }
  if (recorded) return { result: model.result, distinct: recorded.distinct, generated: recorded.generated, name: recorded.name, source: "TLC" };
  return { result: model.result, distinct: null, generated: null, source: "none" };
}

function compare(expected, ours) {
  if (ours.verdict === "timeout") return { status: "timeout", reason: ours.cpuLimited ? `no result within ${cpuLimitS} s of CPU time` : `no result within ${timeoutS} s` };
  if (ours.verdict === "crash") return { status: "crash", reason: ours.detail };
  if (ours.verdict === "error") {
    const e = ours.error ?? {};
    const where = e.location ? ` (${relative(examples, e.location.file)}:${e.location.line}:${e.location.column})` : "";
    const refused = e.kind === "unsupported" && /override/i.test(e.message ?? "");
    return { status: refused ? "refused" : "error", reason: `${e.kind}: ${e.message}${where}` };
  }
  const cls = VERDICT_CLASS[ours.verdict];
  if (cls !== expected.result) return { status: "verdict", reason: `tla-check: ${ours.verdict}${ours.name ? ` ${ours.name}` : ""}; TLC: ${expected.result}` };
  if (ours.complete === false) return { status: "incomplete", reason: "the search stopped early" };
  if (expected.distinct === null) return { status: "verdict only", reason: "TLC's counts are not recorded (run --record-tlc)" };
  if (ours.distinct !== expected.distinct || ours.generated !== expected.generated) {
    return { status: "counts", reason: `tla-check ${ours.distinct} distinct / ${ours.generated} generated; TLC ${expected.distinct} / ${expected.generated}` };
  }
  return { status: "agree", reason: "" };
}

const figures = existsSync(figuresFile) ? JSON.parse(readFileSync(figuresFile, "utf8")) : {};
const models = selectModels();
if (models.length === 0) usage("no model selected");

if (recordTlc) {
  // TLC's own figures where the manifest lacks them; one worker, deadlock as the cfg says.
  for (const model of models) {
    if (model.result === "success" && model.distinct !== null && model.generated !== null) continue;
    const specPath = join(examples, model.spec);
    const jvm = model.features.includes("action composition") ? ["-Dtlc2.tool.impl.Tool.cdot=true"] : [];
    let r;
    try {
      r = runTlc({ jar, specPath, cfgPath: join(examples, model.cfg), libDirs, timeoutMs: 600_000, jvmArgs: jvm });
    } catch (e) {
      // A model TLC does not finish here (a timeout on a loaded machine) keeps no figures; the
      // others are still recorded.
      process.stderr.write(`TLC ${model.cfg}: not recorded (${e.message})\n`);
      continue;
    }
    const entry = { result: TLC_VERDICT_CLASS[r.verdict] ?? r.verdict, name: r.name, distinct: r.distinct, generated: r.generated, depth: r.depth, tlc: r.tlc, command: r.command };
    figures[model.cfg] = entry;
    process.stderr.write(`TLC ${model.cfg}: ${entry.result} ${entry.distinct}/${entry.generated} (${r.seconds.toFixed(1)} s)\n`);
    if (entry.result !== model.result) process.stderr.write(`  note: the manifest says ${model.result}\n`);
    const sorted = Object.fromEntries(Object.entries(figures).sort(([a], [b]) => a.localeCompare(b)));
    writeFileSync(figuresFile, `${JSON.stringify(sorted, null, 1)}\n`);
  }
}

const rows = [];
const counts = {};
process.stdout.write(`tla-check on ${models.length} exhaustive-search models of ${examples} (TLC <= 1 min), ${cpus().length} cores, ${workers} worker(s)\n`);
for (const model of models) {
  const expected = expectedFor(model, figures);
  const ours = runOurs(model);
  const { status, reason } = compare(expected, ours);
  counts[status] = (counts[status] ?? 0) + 1;
  rows.push({ cfg: model.cfg, spec: model.spec, expected, ours: { ...ours, stderr: undefined }, status, reason });
  const figure = ours.distinct !== undefined && ours.distinct !== null ? ` ${ours.distinct}/${ours.generated}` : "";
  process.stdout.write(`${status.padEnd(12)} ${model.cfg.replace(/^specifications\//, "").padEnd(72)} ${(ours.verdict ?? "") + figure}  ${ours.seconds.toFixed(1)} s${ours.cpu !== null ? ` (CPU ${ours.cpu.toFixed(1)} s)` : ""}${reason ? `\n             ${reason.split("\n")[0].slice(0, 400)}` : ""}\n`);
}
const agree = counts.agree ?? 0;
process.stdout.write(`\n${agree} of ${models.length} models agree with TLC (verdict and counts); ${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(", ")}\n`);
if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify(rows, null, 1)}\n`);
process.exit(agree === models.length ? 0 : 1);
