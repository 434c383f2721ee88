#!/usr/bin/env node
// Other people's TLA+ specs of coordination protocols (2PC, commit, election, leases, locks) under
// tla-check and TLC side by side: verdict class, distinct and generated states, CPU seconds of each.
//
//   node scripts/public-specs.mjs --list ../../specs/public-specs.json --checkout OWNER/NAME=DIR...
//        [--jar PATH] [--lib DIR]... [--group G]... [--only SUBSTRING]... [--skip SUBSTRING]... [--cpu-limit S] [--json FILE]
//
// The list (specs/public-specs.json) names each model by repository, commit and path; this script
// fetches nothing: give a checkout of each repository at that commit with --checkout (a repository
// without one is reported as missing, never skipped silently). Specs that ship no .cfg get the one
// written in the list (`cfgText`, ours). Each model's folder is copied to a temp dir (so no file is
// written into the checkout), and both checkers run from there with one worker: TLC (--jar, default
// $SYNOD_TLC_JAR) and the built tla-check CLI. CPU time is the children's user + system time from
// /proc (TLC's includes the JVM's JIT and GC threads). --cpu-limit bounds each run's CPU time
// (default 600 s), so "timeout" means "no result within that much CPU".
//
// Output: one line per model and a Markdown table. Exit status: 0 when every model agrees (verdict
// class, and distinct and generated counts when both finished), 1 otherwise, 2 on bad usage.

import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseTlcOutput } from "./tlc-run.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(resolve(here, ".."), "bin", "tla-check.js");

function usage(message) {
  process.stderr.write(`public-specs: ${message}\n`);
  process.stderr.write(
    "usage: node scripts/public-specs.mjs --list FILE --checkout OWNER/NAME=DIR... [--jar PATH] [--lib DIR]... [--group G]... [--only SUBSTRING]... [--skip SUBSTRING]... [--cpu-limit S] [--json FILE]\n",
  );
  process.exit(2);
}

const argv = process.argv.slice(2);
let listFile = null;
const checkouts = new Map();
const libDirs = [];
const groups = [];
const only = [];
const skip = [];
let jar = process.env.SYNOD_TLC_JAR ?? null;
let cpuLimitS = 600;
let jsonOut = null;
for (let k = 0; k < argv.length; k++) {
  const a = argv[k];
  const value = () => {
    if (k + 1 >= argv.length) usage(`${a} needs a value`);
    return argv[++k];
  };
  if (a === "--list") listFile = resolve(value());
  else if (a === "--checkout") {
    const v = value();
    const m = /^([^=\s]+\/[^=\s]+)=(.+)$/.exec(v);
    if (!m) usage(`--checkout ${JSON.stringify(v)}: expected OWNER/NAME=DIR`);
    if (!existsSync(m[2]) || !statSync(m[2]).isDirectory()) usage(`--checkout ${m[1]}: ${m[2]} is not a directory`);
    checkouts.set(m[1], resolve(m[2]));
  } else if (a === "--jar") jar = value();
  else if (a === "--lib") libDirs.push(resolve(value()));
  else if (a === "--group") groups.push(value());
  else if (a === "--only") only.push(value());
  else if (a === "--skip") skip.push(value());
  else if (a === "--cpu-limit") {
    cpuLimitS = Number(value());
    if (!(Number.isInteger(cpuLimitS) && cpuLimitS > 0)) usage("--cpu-limit needs a positive whole number of seconds");
  } else if (a === "--json") jsonOut = resolve(value());
  else usage(`unknown argument ${JSON.stringify(a)}`);
}
if (listFile === null) usage("--list is required");
if (jar === null) usage("no TLC: give --jar PATH or set SYNOD_TLC_JAR");
if (!existsSync(jar)) usage(`--jar: ${jar} does not exist`);
if (!existsSync(cli)) usage(`${cli} is missing: build the package first`);

let list;
try {
  list = JSON.parse(readFileSync(listFile, "utf8"));
} catch (e) {
  usage(`--list ${listFile}: ${e.message}`);
}
const KNOWN = new Set(["group", "repo", "commit", "dir", "spec", "cfg", "cfgText", "deadlock", "what"]);
for (const [i, m] of (list.models ?? []).entries()) {
  for (const key of Object.keys(m)) if (!KNOWN.has(key)) usage(`--list: model ${i}: unknown field ${JSON.stringify(key)}`);
  for (const key of ["group", "repo", "commit", "dir", "spec", "cfg", "what"]) if (typeof m[key] !== "string") usage(`--list: model ${i}: field ${key} must be a string`);
  if (m.cfgText !== undefined && typeof m.cfgText !== "string") usage(`--list: model ${i}: cfgText must be a string`);
  if (m.deadlock !== undefined && typeof m.deadlock !== "boolean") usage(`--list: model ${i}: deadlock must be true or false`);
}
const models = (list.models ?? []).filter((m) => (groups.length === 0 || groups.includes(m.group)) && (only.length === 0 || only.some((s) => `${m.repo}/${m.dir}/${m.cfg}`.includes(s))) && !skip.some((s) => `${m.repo}/${m.dir}/${m.cfg}`.includes(s)));
if (models.length === 0) usage("no model selected");

/** CPU seconds (user + system) of this process's reaped children so far (/proc/self/stat). */
function childCpuSeconds() {
  const stat = readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

/** Run `command` under `ulimit -t`, from `cwd`; wall and CPU seconds, and whether the limit hit. */
function timed(command, cwd) {
  const started = Date.now();
  const cpu0 = childCpuSeconds();
  const child = spawnSync("/bin/sh", ["-c", `ulimit -t ${cpuLimitS} && exec "$@"`, "sh", ...command], { cwd, encoding: "utf8", maxBuffer: 1 << 28 });
  const cpu = Math.round((childCpuSeconds() - cpu0) * 100) / 100;
  const limited = child.signal === "SIGXCPU" || child.signal === "SIGKILL";
  return { out: `${child.stdout}${child.stderr}`, stdout: child.stdout, wall: (Date.now() - started) / 1000, cpu, limited, status: child.status };
}

const CLASS = { ok: "success", invariant: "safety", property: "safety", liveness: "liveness", deadlock: "deadlock", assume: "assumption", error: "error", parse: "error", unknown: "error" };

function runTlc(dir, m) {
  const meta = mkdtempSync(join(tmpdir(), "public-specs-meta-"));
  const cp = [jar, ...libDirs].join(":");
  const r = timed(["java", "-XX:+UseParallelGC", "-cp", cp, "tlc2.TLC", "-workers", "1", "-noGenerateSpecTE", "-metadir", meta, ...(m.deadlock === false ? ["-deadlock"] : []), "-config", basename(m.cfg), m.spec], dir);
  rmSync(meta, { recursive: true, force: true });
  if (r.limited) return { verdict: "timeout", wall: r.wall, cpu: r.cpu };
  const p = parseTlcOutput(r.out);
  return { verdict: CLASS[p.verdict] ?? p.verdict, name: p.name, distinct: p.distinct, generated: p.generated, wall: r.wall, cpu: r.cpu, message: p.verdict === "error" || p.verdict === "parse" || p.verdict === "unknown" ? (p.message ?? r.out.slice(-600)) : null };
}

function runOurs(dir, m) {
  const r = timed([process.execPath, "--stack-size=4000", cli, m.spec, "--config", basename(m.cfg), "--json", "--workers", "1", ...(m.deadlock === false ? ["--no-deadlock"] : []), ...libDirs.flatMap((d) => ["--lib", d])], dir);
  if (r.limited) return { verdict: "timeout", wall: r.wall, cpu: r.cpu };
  try {
    const j = JSON.parse(r.stdout.trim().split("\n").pop() ?? "");
    const e = j.error ?? null;
    return { verdict: CLASS[j.verdict] ?? j.verdict, name: j.name ?? null, distinct: j.distinct ?? null, generated: j.generated ?? null, wall: r.wall, cpu: r.cpu, message: e ? `${e.kind}: ${e.message}` : null };
  } catch {
    return { verdict: "crash", wall: r.wall, cpu: r.cpu, message: r.out.slice(-600) };
  }
}

function compare(tlc, ours) {
  if (tlc.verdict === "timeout" || ours.verdict === "timeout") return tlc.verdict === ours.verdict ? "both timeout" : `${ours.verdict === "timeout" ? "tla-check" : "TLC"} timeout`;
  if (tlc.verdict === "error" && ours.verdict === "error") return "both error";
  if (tlc.verdict !== ours.verdict) return "VERDICT";
  if ((tlc.name ?? null) !== (ours.name ?? null) && tlc.verdict === "safety") return "NAME";
  if (tlc.distinct !== ours.distinct || tlc.generated !== ours.generated) return "COUNTS";
  return "agree";
}

const rows = [];
let disagree = 0;
for (const m of models) {
  const root = checkouts.get(m.repo);
  const label = `${m.repo}/${m.dir}/${m.cfg}`;
  if (root === undefined) {
    rows.push({ ...m, status: "missing", detail: `no --checkout ${m.repo}=DIR (at ${m.commit})` });
    disagree++;
    process.stdout.write(`missing     ${label}: no --checkout ${m.repo}=DIR\n`);
    continue;
  }
  const src = join(root, m.dir);
  const work = mkdtempSync(join(tmpdir(), "public-specs-"));
  // Only the spec folder's .tla and .cfg files: the checkers need nothing else.
  for (const f of readdirSync(src)) if (/\.(tla|cfg)$/.test(f)) cpSync(join(src, f), join(work, f));
  if (m.cfgText !== undefined) writeFileSync(join(work, m.cfg), m.cfgText);
  if (!existsSync(join(work, m.cfg))) usage(`${label}: ${m.cfg} is not in ${src} and the list gives no cfgText`);
  const tlc = runTlc(work, m);
  const ours = runOurs(work, m);
  rmSync(work, { recursive: true, force: true });
  const status = compare(tlc, ours);
  if (status !== "agree") disagree++;
  rows.push({ ...m, status, tlc, ours });
  const fig = (r) => `${r.verdict}${r.name ? ` ${r.name}` : ""}${r.distinct != null ? ` ${r.distinct}/${r.generated}` : ""} (${r.cpu.toFixed(1)} s CPU, ${r.wall.toFixed(1)} s wall)${r.message ? ` [${String(r.message).split("\n")[0].slice(0, 200)}]` : ""}`;
  process.stdout.write(`${status.padEnd(11)} ${label}\n            TLC: ${fig(tlc)}\n            tla-check: ${fig(ours)}\n`);
}

const n = (x) => (x == null ? "-" : x.toLocaleString("en-US"));
process.stdout.write("\n| group | spec (repository, path, cfg) | what | TLC verdict | TLC distinct / generated | TLC CPU s | tla-check verdict | tla-check distinct / generated | tla-check CPU s | result |\n|---|---|---|---|---|---|---|---|---|---|\n");
for (const r of rows) {
  if (r.status === "missing") {
    process.stdout.write(`| ${r.group} | ${r.repo} ${r.dir}/${r.cfg} | ${r.what} | | | | | | | missing checkout |\n`);
    continue;
  }
  const v = (x) => `${x.verdict}${x.name ? ` ${x.name}` : ""}`;
  process.stdout.write(`| ${r.group} | ${r.repo} \`${r.dir}/${r.cfg}\`${r.cfgText !== undefined ? " (our cfg)" : ""} | ${r.what} | ${v(r.tlc)} | ${n(r.tlc.distinct)} / ${n(r.tlc.generated)} | ${r.tlc.cpu.toFixed(1)} | ${v(r.ours)} | ${n(r.ours.distinct)} / ${n(r.ours.generated)} | ${r.ours.cpu.toFixed(1)} | ${r.status} |\n`);
}
if (jsonOut !== null) writeFileSync(jsonOut, `${JSON.stringify(rows, null, 1)}\n`);
process.stdout.write(`\n${rows.length - disagree} of ${rows.length} agree\n`);
process.exit(disagree === 0 ? 0 : 1);
