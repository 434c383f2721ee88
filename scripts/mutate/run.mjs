#!/usr/bin/env node
/**
 * `pnpm mutate`: StrykerJS over the protocol packages, telling for every mutant which of two test
 * sets kills it:
 *
 *   1. verify: `synod verify`'s conformance checks of that protocol only (replay, trace validation,
 *      histories; scripts/mutate/verify-checks.test.ts), run with bail off so every check that
 *      kills a mutant is named;
 *   2. unit: the package's own full vitest suite, run on the lines of the mutants set 1 left alive.
 *
 * Outside CI (minutes to hours). Prints a table per protocol and writes, under the package's
 * reports/mutation/ (git-ignored), Stryker's JSON reports, its incremental files and summary.json;
 * the survivors list (mutants the unit suite kills and verify does not) goes to
 * reports/mutation/summary.md at the root.
 *
 *   node scripts/mutate/run.mjs [--protocol raft]... [--sample 0.1] [--seed 1] [--concurrency 2]
 *                               [--set both|verify|unit] [--lines src/raft.ts:100-140]... [--variants]
 *   node scripts/mutate/run.mjs --report [--protocol raft]...   (the table of the last runs, no run)
 *   node scripts/mutate/run.mjs --rescan [--protocol raft]...   (the summaries again from Stryker's last reports)
 *
 * --variants adds verify's broken-variant rows to set 1 as a fourth test (slow; a kill there means
 * the mutant hides a planted bug, or changes how it is caught).
 * --sample mutates a seeded share of the code lines of the files in targets.json (1 = all of
 * them); --lines replaces the sample with the given ranges. Incremental mode reuses the results
 * of earlier runs for unchanged code and tests.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const targets = JSON.parse(fs.readFileSync(path.join(here, "targets.json"), "utf8"));
delete targets.$comment;

function usage(msg) {
  process.stderr.write(`pnpm mutate: ${msg}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const o = { protocols: [], sample: null, seed: 1, concurrency: 2, set: "both", lines: [], report: false, rescan: false, variants: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      return v;
    };
    if (a === "--protocol") o.protocols.push(val());
    else if (a === "--sample") {
      o.sample = Number(val());
      if (!(o.sample > 0 && o.sample <= 1)) usage(`--sample: ${argv[i]} is not a share in (0, 1]`);
    } else if (a === "--seed") {
      o.seed = Number(val());
      if (!Number.isInteger(o.seed)) usage(`--seed: ${argv[i]} is not an integer`);
    } else if (a === "--concurrency") {
      o.concurrency = Number(val());
      if (!Number.isInteger(o.concurrency) || o.concurrency < 1) usage(`--concurrency: ${argv[i]} is not a positive integer`);
    } else if (a === "--set") {
      o.set = val();
      if (!["both", "verify", "unit"].includes(o.set)) usage(`--set: ${o.set} is not both, verify or unit`);
    } else if (a === "--lines") o.lines.push(val());
    else if (a === "--report") o.report = true;
    else if (a === "--rescan") o.rescan = true;
    else if (a === "--variants") o.variants = true;
    else if (a === "--help" || a === "-h") {
      process.stdout.write(fs.readFileSync(fileURLToPath(import.meta.url), "utf8").split("*/")[0]);
      process.exit(0);
    } else usage(`unknown argument ${a}`);
  }
  for (const p of o.protocols) if (!(p in targets)) usage(`--protocol: no target "${p}" in scripts/mutate/targets.json (known: ${Object.keys(targets).join(", ")})`);
  if (o.protocols.length === 0) o.protocols = Object.keys(targets);
  if (o.lines.length > 0 && o.protocols.length !== 1) usage("--lines needs exactly one --protocol");
  return o;
}

/** A small seeded generator (mulberry32), so a sample is the same on every machine. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Lines that hold code (not blank, not a comment, not an import or a type-only line). */
function codeLines(text) {
  const out = [];
  let inComment = false;
  text.split("\n").forEach((line, i) => {
    const t = line.trim();
    if (inComment) {
      if (t.includes("*/")) inComment = false;
      return;
    }
    if (t.startsWith("/*")) {
      if (!t.includes("*/")) inComment = true;
      return;
    }
    if (t === "" || t.startsWith("//") || t.startsWith("*") || t.startsWith("import ") || t.startsWith("export type ") || t.startsWith("export interface ") || t === "}" || t === "};") return;
    out.push(i + 1);
  });
  return out;
}

/** The seeded sample of `share` of the code lines of `files`, as Stryker `--mutate` ranges. */
function sampleRanges(pkgDir, files, share, seed) {
  const ranges = [];
  let total = 0;
  let picked = 0;
  for (const f of files) {
    const file = path.join(pkgDir, f);
    if (!fs.existsSync(file)) usage(`targets.json names ${path.relative(root, file)}, which does not exist`);
    const lines = codeLines(fs.readFileSync(file, "utf8"));
    total += lines.length;
    if (share >= 1) {
      ranges.push(f);
      picked += lines.length;
      continue;
    }
    const r = rng(seed * 7919 + [...f].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 0));
    const chosen = lines.filter(() => r() < share);
    picked += chosen.length;
    for (const l of chosen) ranges.push(`${f}:${l}-${l}`);
  }
  return { ranges, total, picked };
}

const ALIVE = new Set(["Survived", "NoCoverage"]);
const KILLED = new Set(["Killed", "Timeout"]);

/**
 * Killed by replay, trace validation or histories. A timeout, or a kill Stryker names no test for
 * (the test process crashed), cannot be told apart: it counts.
 */
function byTheChecks(m) {
  return m.status === "Timeout" || m.killers.length === 0 || m.killers.some((k) => CHECKS.slice(0, 3).some(([title]) => k.endsWith(title)));
}
const CHECKS = [
  ["replay", "replay"],
  ["trace validation", "validate"],
  ["histories", "histories"],
  ["broken variants", "variants"],
];

function runStryker(pkgDir, name, config, env) {
  const dir = path.join(pkgDir, "reports", "mutation");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `stryker-${name}.json`);
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
  const bin = path.join(root, "node_modules", "@stryker-mutator", "core", "bin", "stryker.js");
  const t0 = Date.now();
  const r = spawnSync("nice", ["-n", "10", process.execPath, bin, "run", file], { cwd: pkgDir, stdio: "inherit", env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`Stryker (${name}) in ${path.relative(root, pkgDir)} exited with ${r.status ?? r.signal}; see its output above`);
  const report = JSON.parse(fs.readFileSync(path.join(pkgDir, config.jsonReporter.fileName), "utf8"));
  return { report, seconds: (Date.now() - t0) / 1000 };
}

/** Every mutant of a Stryker JSON report, keyed by place, mutator and replacement. */
function mutants(report) {
  const tests = new Map();
  for (const [file, tf] of Object.entries(report.testFiles ?? {})) {
    // The test's file too: a kill by the kit's tests (test/kit/) reads differently from a unit test's.
    const where = path.isAbsolute(file) ? path.relative(root, file) : file;
    for (const t of tf.tests) tests.set(t.id, `${where} › ${t.name}`);
  }
  const out = new Map();
  for (const [file, f] of Object.entries(report.files)) {
    for (const m of f.mutants) {
      const s = m.location.start;
      const e = m.location.end;
      const key = `${file}:${s.line}:${s.column}-${e.line}:${e.column}:${m.mutatorName}:${m.replacement ?? ""}`;
      out.set(key, { ...m, file, killers: (m.killedBy ?? []).map((id) => tests.get(id) ?? id) });
    }
  }
  return out;
}

function baseConfig(o, name, mutate) {
  return {
    $schema: "../../../../node_modules/@stryker-mutator/core/schema/stryker-schema.json",
    packageManager: "pnpm",
    testRunner: "vitest",
    plugins: ["@stryker-mutator/vitest-runner"],
    coverageAnalysis: "perTest",
    mutate,
    concurrency: o.concurrency,
    incremental: true,
    incrementalFile: `reports/mutation/${name}-incremental.json`,
    reporters: ["json", "progress"],
    jsonReporter: { fileName: `reports/mutation/${name}.json` },
    tempDirName: ".stryker-tmp",
    cleanTempDir: true,
    // Static mutants (module-level constants) need every test re-run without coverage: slow, few.
    ignoreStatic: true,
    // The machine is shared and loaded: generous timeouts keep a slow run from counting as a kill.
    timeoutFactor: 3,
    timeoutMS: 30000,
    dryRunTimeoutMinutes: 30,
    ignorePatterns: ["dist", "reports", "bench"],
  };
}

/** Every file under `dirs` (recursively), for the fingerprint of what the tests depend on. */
function filesUnder(dir) {
  if (!fs.existsSync(dir)) return [];
  if (fs.statSync(dir).isFile()) return [dir];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.name !== "node_modules" && d.name !== "dist" && d.name !== "reports" && !d.name.startsWith("."))
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((d) => filesUnder(path.join(dir, d.name)));
}

/**
 * Stryker's incremental mode reuses a mutant's result while the mutated file and the test files it
 * knows are unchanged. It does not see the descriptor (src/kit/), the test helpers or the generic
 * checks, which decide verify's verdict: when any of them changed, the old results are dropped.
 */
function dropStaleIncremental(pkgDir) {
  const h = createHash("sha256");
  for (const f of [path.join(pkgDir, "src", "kit"), path.join(pkgDir, "test"), path.join(root, "conformance", "src"), path.join(here, "verify-checks.test.ts")].flatMap(filesUnder)) {
    h.update(path.relative(root, f)).update(fs.readFileSync(f));
  }
  const fp = h.digest("hex");
  const dir = path.join(pkgDir, "reports", "mutation");
  const file = path.join(dir, "fingerprint");
  // No fingerprint: results of unknown provenance, dropped too.
  if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== fp) {
    for (const n of ["verify-incremental.json", "unit-incremental.json"]) fs.rmSync(path.join(dir, n), { force: true });
    process.stderr.write(`the descriptor, tests or checks changed since the last run: earlier results dropped\n`);
  }
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file, fp);
}

function pct(n, d) {
  return d === 0 ? "–" : `${((100 * n) / d).toFixed(0)}%`;
}

function mutateProtocol(o, protocol) {
  const pkgDir = path.join(root, "packages", protocol);
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8"));
  const kitDist = pkg.synod?.kit;
  if (typeof kitDist !== "string") usage(`packages/${protocol}/package.json has no synod.kit`);
  const kitSrc = kitDist.replace(/^\.\/dist\//, "src/").replace(/\.js$/, ".ts");
  if (!fs.existsSync(path.join(pkgDir, kitSrc))) usage(`packages/${protocol}: the descriptor's source ${kitSrc} does not exist`);
  const t = targets[protocol];
  const share = o.sample ?? t.sample;
  const sample = o.lines.length > 0 ? { ranges: o.lines, total: null, picked: null } : sampleRanges(pkgDir, t.files, share, o.seed);
  process.stderr.write(`\n== ${protocol}: ${sample.picked ?? "given"} of ${sample.total ?? "?"} code lines (${o.lines.length > 0 ? "--lines" : `sample ${share}, seed ${o.seed}`}) in ${t.files.join(", ")}\n`);
  const env = { SYNOD_MUTATE_KIT: kitSrc, SYNOD_MUTATE_VARIANTS: o.variants ? "1" : "0" };
  const dir = path.join(pkgDir, "reports", "mutation");
  let verify = new Map();
  let verifySeconds = 0;
  const saved = (name) => {
    const f = path.join(dir, `${name}.json`);
    if (!fs.existsSync(f)) usage(`--rescan: no ${path.relative(root, f)}; run ${protocol} first`);
    return mutants(JSON.parse(fs.readFileSync(f, "utf8")));
  };
  if (o.rescan) {
    const old = fs.existsSync(path.join(dir, "summary.json")) ? JSON.parse(fs.readFileSync(path.join(dir, "summary.json"), "utf8")) : null;
    verify = saved("verify");
    const unit = fs.existsSync(path.join(dir, "unit.json")) ? saved("unit") : new Map();
    return summarize(o, protocol, verify, unit, old?.seconds ?? { verify: 0, unit: 0 }, old?.sample ?? null, old?.date ?? null, dir);
  }
  if (o.set !== "unit") dropStaleIncremental(pkgDir);
  if (o.set !== "unit") {
    const cfg = { ...baseConfig(o, "verify", sample.ranges), vitest: { configFile: path.join(here, "vitest.config.ts"), dir: here, related: false }, disableBail: true };
    const r = runStryker(pkgDir, "verify", cfg, env);
    verify = mutants(r.report);
    verifySeconds = r.seconds;
  } else if (fs.existsSync(path.join(dir, "verify.json"))) {
    verify = mutants(JSON.parse(fs.readFileSync(path.join(dir, "verify.json"), "utf8")));
  } else usage(`--set unit needs an earlier verify run of ${protocol}`);
  // The unit suite runs only on the lines verify left a mutant alive on.
  const aliveLines = new Set();
  for (const m of verify.values()) {
    if (!ALIVE.has(m.status) && byTheChecks(m)) continue;
    for (let l = m.location.start.line; l <= m.location.end.line; l++) aliveLines.add(`${m.file}:${l}-${l}`);
  }
  let unit = new Map();
  let unitSeconds = 0;
  if (o.set !== "verify" && aliveLines.size > 0) {
    const cfg = { ...baseConfig(o, "unit", [...aliveLines]), vitest: { related: false } };
    const r = runStryker(pkgDir, "unit", cfg, {});
    unit = mutants(r.report);
    unitSeconds = r.seconds;
  }
  let sampled = o.lines.length > 0 ? { lines: o.lines } : { share, seed: o.seed, lines: sample.picked, of: sample.total, files: t.files };
  // --set unit judges the mutants of the last verify run: its sample is that run's.
  if (o.set === "unit" && fs.existsSync(path.join(dir, "summary.json"))) sampled = JSON.parse(fs.readFileSync(path.join(dir, "summary.json"), "utf8")).sample ?? sampled;
  return summarize(o, protocol, verify, unit, { verify: verifySeconds, unit: unitSeconds }, sampled, null, dir);
}

/** The counts and lists of one protocol from its two sets' mutants; written to summary.json. */
function summarize(o, protocol, verify, unit, seconds, sample, date, dir) {
  const s = { protocol, mutants: 0, invalid: 0, verify: 0, timeouts: 0, byCheck: { replay: 0, validate: 0, histories: 0, variants: 0 }, onlyUnit: [], survived: [], unitNotRun: 0, variantsOnly: 0 };
  for (const [key, m] of verify) {
    if (!KILLED.has(m.status) && !ALIVE.has(m.status)) {
      s.invalid++;
      continue;
    }
    s.mutants++;
    if (KILLED.has(m.status)) {
      for (const [title, check] of CHECKS) if (m.killers.some((k) => k.endsWith(title))) s.byCheck[check]++;
      if (byTheChecks(m)) {
        s.verify++;
        if (m.status === "Timeout") s.timeouts++;
        continue;
      }
      // Only the broken-variant rows failed: counted apart, and judged by the unit suite below.
      s.variantsOnly++;
    }
    const u = unit.get(key);
    const row = { place: `packages/${protocol}/${m.file}:${m.location.start.line}:${m.location.start.column}`, mutator: m.mutatorName, replacement: m.replacement ?? "", verifyStatus: m.status };
    if (u === undefined) {
      s.unitNotRun++;
      s.survived.push({ ...row, unit: "not run" });
    } else if (KILLED.has(u.status)) {
      const killers = u.killers.length > 0 ? u.killers : ["(timeout)"];
      s.onlyUnit.push({ ...row, unit: u.status, killers, byKitTest: killers.every((k) => /(^|\/)test\/kit\//.test(k)) });
    } else s.survived.push({ ...row, unit: u.status });
  }
  s.seconds = seconds;
  s.sample = sample;
  s.date = date ?? new Date().toISOString().slice(0, 10);
  fs.writeFileSync(path.join(dir, "summary.json"), JSON.stringify(s, null, 2));
  return s;
}

function table(summaries) {
  const variants = summaries.some((s) => (s.byCheck.variants ?? 0) > 0);
  const head = ["protocol", "mutants", "killed by verify", "replay", "trace validation", "histories", ...(variants ? ["broken variants (apart)"] : []), "killed only by unit tests", "survived both", "verify score"];
  const rows = summaries.map((s) => [
    s.protocol,
    String(s.mutants),
    `${s.verify}${s.timeouts > 0 ? ` (${s.timeouts} timeouts)` : ""}`,
    `${s.byCheck.replay} (${pct(s.byCheck.replay, s.mutants)})`,
    `${s.byCheck.validate} (${pct(s.byCheck.validate, s.mutants)})`,
    `${s.byCheck.histories} (${pct(s.byCheck.histories, s.mutants)})`,
    ...(variants ? [`${s.byCheck.variants ?? 0} (${s.variantsOnly ?? 0} by them alone)`] : []),
    `${s.onlyUnit.length}${s.onlyUnit.length > 0 ? ` (${s.onlyUnit.filter((m) => m.byKitTest).length} by kit tests only)` : ""}`,
    `${s.survived.length}${s.unitNotRun > 0 ? ` (${s.unitNotRun} not run by unit)` : ""}`,
    `${pct(s.verify, s.verify + s.onlyUnit.length)} of unit-killable, ${pct(s.verify, s.mutants)} of all`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [line(head), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

function survivorsMarkdown(summaries) {
  const out = [];
  for (const s of summaries) {
    out.push(`## ${s.protocol}: killed by the unit suite, not by verify (${s.onlyUnit.length})`, "");
    for (const m of s.onlyUnit) out.push(`- \`${m.place}\` ${m.mutator} → \`${m.replacement.replace(/\s+/g, " ").slice(0, 120)}\` (verify: ${m.verifyStatus}); killed by: ${m.killers.slice(0, 3).join("; ")}`);
    out.push("", `## ${s.protocol}: survived both (${s.survived.length})`, "");
    for (const m of s.survived) out.push(`- \`${m.place}\` ${m.mutator} → \`${m.replacement.replace(/\s+/g, " ").slice(0, 120)}\` (verify: ${m.verifyStatus}, unit: ${m.unit})`);
    out.push("");
  }
  return out.join("\n");
}

const o = parseArgs(process.argv.slice(2));
const summaries = [];
if (o.report) {
  for (const p of o.protocols) {
    const file = path.join(root, "packages", p, "reports", "mutation", "summary.json");
    if (fs.existsSync(file)) summaries.push(JSON.parse(fs.readFileSync(file, "utf8")));
    else process.stderr.write(`pnpm mutate: no run of ${p} yet (${path.relative(root, file)})\n`);
  }
  if (summaries.length === 0) usage("--report: no protocol has been run");
} else for (const p of o.protocols) summaries.push(mutateProtocol(o, p));
const text = table(summaries);
const when = new Date().toISOString();
const samples = summaries.map((s) => `${s.protocol} ${s.date}: ${s.sample.lines === undefined || Array.isArray(s.sample.lines) ? "given lines" : `${s.sample.lines} of ${s.sample.of} code lines (share ${s.sample.share}, seed ${s.sample.seed})`}`);
process.stdout.write(`\npnpm mutate (${when}); mutants on a seeded sample of lines:\n${text}\n${samples.join("\n")}\n`);
fs.mkdirSync(path.join(root, "reports", "mutation"), { recursive: true });
fs.writeFileSync(path.join(root, "reports", "mutation", "summary.md"), `# pnpm mutate, ${when}\n\n${text}\n\n${survivorsMarkdown(summaries)}`);
process.stdout.write(`survivors: reports/mutation/summary.md\n`);
