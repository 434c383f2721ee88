#!/usr/bin/env node
/**
 * Compares tla-check's PlusCal translator with pcal.trans on every module with an algorithm
 * under the given files or directories (e.g. the specifications/ of a tlaplus/Examples checkout),
 * and, with --counts, checks the models that use those modules with TLC and tla-check.
 *
 *   node scripts/pluscal-compare.mjs DIR_OR_FILE... [--pcal-trans [--strip]] [--counts SECONDS]
 *        [--jar tla2tools.jar] [--lib DIR]... [--timeout SECONDS] [--show N] [--json]
 *
 * By default ours is compared with the translation already in each file (what pcal.trans
 * wrote when its author last translated): the translation lines, and the checksums when the
 * BEGIN TRANSLATION line has them. With --pcal-trans, pcal.trans (from --jar, default
 * $SYNOD_TLC_JAR) and our translator each translate a copy of the file (pcal.trans in a temporary
 * directory, since it rewrites the file; ours keeping a BEGIN line without checksums as it is, as
 * pcal.trans does) and the two files are compared line for line. --strip first removes the file's
 * translation, BEGIN and END lines included, so both translators write it from nothing (and add
 * the markers and checksums themselves).
 *
 * --counts (needs Java and the jar): every model of a manifest.json (the tlaplus/Examples layout,
 * the manifest in the module's folder or above) that is an exhaustive search TLC finishes within
 * SECONDS (the manifest's runtime), whose folder holds modules with an algorithm and whose root
 * module is one of them or EXTENDS / INSTANCEs one (through the folder's modules), is checked
 * three ways on copies of its folder: TLC with the reference translation in every such module
 * (pcal.trans's with --pcal-trans, else the file's own), TLC with ours (only run when some
 * translation differs: else it is the same input), and tla-check (the built CLI, --json, one
 * process) with ours; each run gets --timeout seconds (default 600). Verdicts, distinct and
 * generated states are compared. --lib adds module folders (CommunityModules, TLAPS) for both checkers.
 * Needs the package built (it imports dist/ and runs bin/tla-check.js).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const cli = join(here, "..", "bin", "tla-check.js");
const { translateModule, splitLines, matchChecksums } = await import(join(here, "..", "dist", "pluscal", "index.js"));
const { runTlc } = await import(join(here, "tlc-run.mjs"));

const USAGE =
  "usage: pluscal-compare.mjs DIR_OR_FILE... [--pcal-trans [--strip]] [--counts SECONDS] [--jar tla2tools.jar] [--lib DIR]... [--timeout SECONDS] [--show N] [--json]";
const args = process.argv.slice(2);
let jar = process.env.SYNOD_TLC_JAR;
let show = 0;
let json = false;
let countsSeconds = null;
let runPcalTrans = false;
let strip = false;
let timeoutS = 600;
const libDirs = [];
const roots = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  const value = () => {
    if (i + 1 >= args.length) {
      console.error(`${a} needs a value\n${USAGE}`);
      process.exit(2);
    }
    return args[++i];
  };
  if (a === "--jar") jar = value();
  else if (a === "--show") show = Number(value());
  else if (a === "--json") json = true;
  else if (a === "--counts") countsSeconds = Number(value());
  else if (a === "--timeout") timeoutS = Number(value());
  else if (a === "--lib") libDirs.push(resolve(value()));
  else if (a === "--pcal-trans") runPcalTrans = true;
  else if (a === "--strip") strip = true;
  else if (a.startsWith("-")) {
    console.error(`unknown option ${a}\n${USAGE}`);
    process.exit(2);
  } else roots.push(a);
}
if (roots.length === 0) {
  console.error(USAGE);
  process.exit(2);
}
if (strip && !runPcalTrans) {
  console.error("--strip compares with pcal.trans: it needs --pcal-trans");
  process.exit(2);
}
if ((runPcalTrans || countsSeconds !== null) && !jar) {
  console.error("--pcal-trans and --counts need the jar: --jar or SYNOD_TLC_JAR");
  process.exit(2);
}
for (const d of libDirs) if (!existsSync(d)) throw new Error(`--lib ${d} does not exist`);

function* tlaFiles(p) {
  const st = statSync(p);
  if (st.isFile()) {
    if (p.endsWith(".tla")) yield p;
    return;
  }
  for (const e of readdirSync(p).sort()) yield* tlaFiles(join(p, e));
}

/** Where the translation is in `lines` (BEGIN and END line indices); null when absent. */
function regionAt(lines) {
  const b = lines.findIndex((l) => /BEGIN +TRANSLATION/.test(l));
  if (b < 0) return null;
  const e = lines.findIndex((l, i) => i > b && /END +TRANSLATION/.test(l));
  if (e < 0) return null;
  return { b, e };
}

/** The lines between BEGIN and END TRANSLATION, and the BEGIN line; null when absent. */
function region(lines) {
  const r = regionAt(lines);
  return r && { begin: lines[r.b], body: lines.slice(r.b + 1, r.e) };
}

/** `text` without its translation (BEGIN and END lines included), keeping its line endings. */
function stripped(text) {
  const r = regionAt(splitLines(text));
  if (!r) return text;
  const parts = text.split(/(\r\n|\r|\n)/);
  // parts alternates line, separator: line k is parts[2k], its end parts[2k+1].
  return [...parts.slice(0, 2 * r.b), ...parts.slice(2 * (r.e + 1))].join("");
}

/** Runs pcal.trans on a copy of `text`; returns its output text or its error message. */
function pcalTrans(name, text) {
  const dir = mkdtempSync(join(tmpdir(), "synod-pcal-"));
  const file = join(dir, name);
  writeFileSync(file, text);
  try {
    const out = execFileSync("java", ["-cp", jar, "pcal.trans", "-nocfg", file], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    if (/Unrecoverable error|bug in pcal.trans/.test(out)) return { error: out.split("\n").filter((l) => l.trim() && !l.startsWith("pcal.trans Version")).join(" ").trim() };
    return { text: readFileSync(file, "utf8") };
  } catch (e) {
    return { error: String(e.stdout || e.message).trim() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function firstDiff(a, b) {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) return { line: i + 1, ours: a[i], theirs: b[i] };
  return null;
}

const results = [];
for (const root of roots) {
  for (const file of tlaFiles(resolve(root))) {
    const original = readFileSync(file, "utf8");
    if (!/--algorithm|--fair/.test(original)) continue;
    const text = strip ? stripped(original) : original;
    const r = { file, outcome: "", detail: "" };
    let ours = null;
    try {
      ours = translateModule(text, { checksums: "keep" });
      r.oursText = ours.text;
    } catch (e) {
      r.ourError = `${e.line ?? "?"}:${e.column ?? "?"}: ${e.message}`;
    }
    if (runPcalTrans) {
      const theirs = pcalTrans(basename(file), text);
      if (theirs.error && r.ourError) r.outcome = "both reject";
      else if (theirs.error) r.outcome = "only pcal.trans rejects";
      else if (r.ourError) r.outcome = "only we reject";
      else {
        const d = firstDiff(splitLines(ours.text), splitLines(theirs.text));
        r.outcome = d ? "differs" : "identical";
        if (d) r.diff = d;
      }
      if (theirs.error) r.theirError = theirs.error;
      else r.referenceText = theirs.text;
    } else {
      r.referenceText = original;
      const existing = region(splitLines(text));
      if (!existing) r.outcome = r.ourError ? "no translation in file; we reject" : "no translation in file";
      else if (r.ourError) r.outcome = "we reject";
      else {
        const d = firstDiff(ours.lines, existing.body);
        const sums = matchChecksums(existing.begin);
        r.outcome = d ? "translation differs" : "translation identical";
        if (d) r.diff = d;
        if (sums?.pcal) r.pcalChecksum = sums.pcal.value === ours.checksums.pcal ? "same" : `differs (file ${sums.pcal.value}, ours ${ours.checksums.pcal})`;
        if (sums?.tla) r.tlaChecksum = sums.tla.value === ours.checksums.tla ? "same" : `differs (file ${sums.tla.value}, ours ${ours.checksums.tla})`;
      }
    }
    results.push(r);
  }
}

/** Seconds of a manifest runtime "HH:MM:SS" (Infinity when unknown). */
function seconds(runtime) {
  const m = /^(\d+):(\d+):(\d+)$/.exec(runtime ?? "");
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : Infinity;
}

/** The modules `name` (in `dir`) is, EXTENDS or INSTANCEs, directly or through the folder's modules. */
function uses(dir, name, seen = new Set()) {
  if (seen.has(name)) return seen;
  seen.add(name);
  const file = join(dir, `${name}.tla`);
  if (!existsSync(file)) return seen;
  const text = readFileSync(file, "utf8");
  // EXTENDS lists may go on over several lines; INSTANCE names one module.
  const refs = [...text.matchAll(/\b(?:EXTENDS\s+(\w+(?:\s*,\s*\w+)*)|INSTANCE\s+(\w+))/g)].flatMap((m) => (m[1] ?? m[2]).split(/\s*,\s*/));
  for (const r of refs) uses(dir, r, seen);
  return seen;
}

/** The nearest manifest.json at or above `dir`, with the folder its paths are relative to. */
function manifestFor(dir) {
  for (let d = dir; d !== dirname(d); d = dirname(d)) {
    const p = join(d, "manifest.json");
    if (!existsSync(p)) continue;
    const manifest = JSON.parse(readFileSync(p, "utf8"));
    // Paths in a manifest start at the Examples root ("specifications/<folder>/..."); find it.
    const some = manifest.modules?.[0]?.path;
    let base = d;
    while (some && base !== dirname(base) && !existsSync(join(base, some))) base = dirname(base);
    return { path: p, manifest, base };
  }
  return null;
}

/** tla-check's verdict and counts on `spec` with `cfg` (a process, with a timeout). */
function runTlaCheck(specPath, cfgPath) {
  const child = spawnSync(process.execPath, ["--stack-size=4000", cli, specPath, "--config", cfgPath, "--json", ...libDirs.flatMap((d) => ["--lib", d])], {
    cwd: dirname(specPath),
    encoding: "utf8",
    timeout: timeoutS * 1000,
    maxBuffer: 1 << 26,
    killSignal: "SIGKILL",
  });
  if (child.error?.code === "ETIMEDOUT" || (child.signal === "SIGKILL" && child.status === null)) return { verdict: "timeout" };
  const line = child.stdout.trim().split("\n").pop() ?? "";
  try {
    const r = JSON.parse(line);
    return { verdict: r.verdict, distinct: r.distinct, generated: r.generated, ...(r.error ? { error: `${r.error.kind}: ${r.error.message}` } : {}) };
  } catch {
    return { verdict: "crash", error: `${child.stdout}${child.stderr}`.slice(-600) };
  }
}

const figures = (r) => ({ verdict: r.verdict, distinct: r.distinct, generated: r.generated });
const same = (a, b) => a.verdict === b.verdict && a.distinct === b.distinct && a.generated === b.generated;

const modelRows = [];
if (countsSeconds !== null) {
  const translated = results.filter((r) => r.oursText !== undefined && r.referenceText !== undefined);
  const byDir = new Map();
  for (const r of translated) byDir.set(dirname(r.file), [...(byDir.get(dirname(r.file)) ?? []), r]);
  const seenModels = new Set();
  for (const [dir, mods] of byDir) {
    const found = manifestFor(dir);
    if (!found) continue;
    for (const mod of found.manifest.modules ?? []) {
      for (const model of mod.models ?? []) {
        const specPath = join(found.base, mod.path);
        const cfgPath = join(found.base, model.path);
        if (dirname(specPath) !== dir || seenModels.has(cfgPath) || model.mode !== "exhaustive search") continue;
        const used = uses(dir, basename(specPath, ".tla"));
        const pcalMods = mods.filter((r) => used.has(basename(r.file, ".tla")));
        if (pcalMods.length === 0) continue;
        seenModels.add(cfgPath);
        const row = { model: relative(found.base, cfgPath), modules: pcalMods.map((r) => basename(r.file)), runtime: model.runtime };
        modelRows.push(row);
        if (seconds(model.runtime) > countsSeconds) {
          row.skipped = `manifest runtime ${model.runtime} > ${countsSeconds} s`;
          if (!json) printModel(row);
          continue;
        }
        const refDir = mkdtempSync(join(tmpdir(), "synod-pcal-ref-"));
        const oursDir = mkdtempSync(join(tmpdir(), "synod-pcal-ours-"));
        try {
          cpSync(dir, refDir, { recursive: true });
          cpSync(dir, oursDir, { recursive: true });
          for (const r of pcalMods) {
            writeFileSync(join(refDir, basename(r.file)), r.referenceText);
            writeFileSync(join(oursDir, basename(r.file)), r.oursText);
          }
          const differ = pcalMods.some((r) => r.referenceText !== r.oursText);
          const spec = basename(specPath);
          const cfg = basename(cfgPath);
          const timeoutMs = timeoutS * 1000;
          try {
            row.tlcOnReference = figures(runTlc({ jar, specPath: join(refDir, spec), cfgPath: join(refDir, cfg), libDirs, timeoutMs }));
            row.tlcOnOurs = differ ? figures(runTlc({ jar, specPath: join(oursDir, spec), cfgPath: join(oursDir, cfg), libDirs, timeoutMs })) : row.tlcOnReference;
          } catch (e) {
            row.skipped = `TLC did not finish: ${e.message}`;
            if (!json) printModel(row);
            continue;
          }
          row.tlaCheckOnOurs = runTlaCheck(join(oursDir, spec), join(oursDir, cfg));
          if (model.distinctStates !== undefined) row.manifestDistinct = model.distinctStates;
          row.sameTranslation = !differ;
          row.same = same(row.tlcOnReference, row.tlcOnOurs) && same(row.tlcOnOurs, row.tlaCheckOnOurs);
        } finally {
          rmSync(refDir, { recursive: true, force: true });
          rmSync(oursDir, { recursive: true, force: true });
        }
        if (!json) printModel(row);
      }
    }
  }
}

function printModel(m) {
  if (m.skipped) console.log(`model ${m.model}: not run (${m.skipped})`);
  else {
    const tc = m.tlaCheckOnOurs.error ? ` (${m.tlaCheckOnOurs.error.split("\n")[0].slice(0, 300)})` : "";
    console.log(
      `model ${m.model}: ${m.same ? "same" : "DIFFERENT"}: TLC ${JSON.stringify(m.tlcOnReference)}${m.sameTranslation ? "" : `, TLC on ours ${JSON.stringify(m.tlcOnOurs)}`}, tla-check on ours ${JSON.stringify(figures(m.tlaCheckOnOurs))}${tc}`,
    );
  }
}

if (json) {
  const strip2 = ({ oursText, referenceText, ...r }) => r;
  console.log(JSON.stringify({ modules: results.map(strip2), models: modelRows }, null, 2));
} else {
  const tally = new Map();
  for (const r of results) tally.set(r.outcome, (tally.get(r.outcome) ?? 0) + 1);
  for (const r of results) {
    const extra = [r.pcalChecksum ? `chksum(pcal) ${r.pcalChecksum}` : "", r.tlaChecksum ? `chksum(tla) ${r.tlaChecksum}` : ""].filter(Boolean).join(", ");
    console.log(`${r.outcome.padEnd(24)} ${r.file}${extra ? `  [${extra}]` : ""}`);
    if (r.ourError) console.log(`    ours: ${r.ourError.split("\n").join(" ")}`);
    if (r.theirError) console.log(`    pcal.trans: ${r.theirError.split("\n").join(" ")}`);
    if (r.diff && show > 0) console.log(`    line ${r.diff.line}\n      ours:   ${JSON.stringify(r.diff.ours)}\n      theirs: ${JSON.stringify(r.diff.theirs)}`);
  }
  console.log(`\n${results.length} modules with an algorithm: ${[...tally].map(([k, v]) => `${v} ${k}`).join(", ")}`);
  if (countsSeconds !== null) {
    const run = modelRows.filter((m) => !m.skipped);
    console.log(`${modelRows.length} models use them: ${run.filter((m) => m.same).length} of ${run.length} run give the same verdict and counts (TLC and tla-check), ${modelRows.length - run.length} not run`);
  }
}
