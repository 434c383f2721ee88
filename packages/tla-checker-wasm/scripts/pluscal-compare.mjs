#!/usr/bin/env node
/**
 * Compares tla-check's PlusCal translator with pcal.trans on every module with an algorithm
 * under the given files or directories (e.g. a checkout of tlaplus/Examples).
 *
 *   node scripts/pluscal-compare.mjs DIR_OR_FILE... [--pcal-trans] [--counts SECONDS]
 *                                    [--jar tla2tools.jar] [--show N] [--json]
 *
 * By default ours is compared with the translation already in each file (what pcal.trans
 * wrote when its author last translated): the translation lines, and the checksums when the
 * BEGIN TRANSLATION line has them. With --pcal-trans, pcal.trans (from --jar, default
 * $SYNOD_TLC_JAR) is run on a copy of each file in a temporary directory (it rewrites the file)
 * and the two outputs are compared line for line. Needs the package built (it imports dist/).
 *
 * --counts (with the default comparison; needs Java and the jar): for each file whose translation differs
 * from ours, every model of its folder's manifest.json (the tlaplus/Examples layout) that is an
 * exhaustive search of at most SECONDS (the manifest's runtime) and whose root module is the
 * file or EXTENDS / INSTANCEs it, is checked by TLC twice, once as it is and once with our
 * translation in the file, and by tla-check on ours; the verdicts and state counts are compared.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const { translateModule, splitLines, matchChecksums } = await import(join(here, "..", "dist", "pluscal", "index.js"));
const { checkSpec } = await import(join(here, "..", "dist", "index.js"));
const { runTlc } = await import(join(here, "tlc-run.mjs"));

const args = process.argv.slice(2);
let jar = process.env.SYNOD_TLC_JAR;
let show = 0;
let json = false;
let countsSeconds = null;
let runPcalTrans = false;
const roots = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--jar") jar = args[++i];
  else if (args[i] === "--show") show = Number(args[++i]);
  else if (args[i] === "--json") json = true;
  else if (args[i] === "--counts") countsSeconds = Number(args[++i]);
  else if (args[i] === "--pcal-trans") runPcalTrans = true;
  else roots.push(args[i]);
}
if (roots.length === 0) {
  console.error("usage: pluscal-compare.mjs DIR_OR_FILE... [--pcal-trans] [--counts SECONDS] [--jar tla2tools.jar] [--show N] [--json]");
  process.exit(2);
}

function* tlaFiles(p) {
  const st = statSync(p);
  if (st.isFile()) {
    if (p.endsWith(".tla")) yield p;
    return;
  }
  for (const e of readdirSync(p).sort()) yield* tlaFiles(join(p, e));
}

/** The lines between BEGIN and END TRANSLATION, and the BEGIN line; null when absent. */
function region(lines) {
  const b = lines.findIndex((l) => /BEGIN +TRANSLATION/.test(l));
  if (b < 0) return null;
  const e = lines.findIndex((l, i) => i > b && /END +TRANSLATION/.test(l));
  if (e < 0) return null;
  return { begin: lines[b], body: lines.slice(b + 1, e) };
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
    const text = readFileSync(file, "utf8");
    if (!/--algorithm|--fair/.test(text)) continue;
    const r = { file, outcome: "", detail: "" };
    let ours = null;
    try {
      ours = translateModule(text, { checksums: "keep" });
    } catch (e) {
      r.ourError = `${e.line ?? "?"}:${e.column ?? "?"}: ${e.message}`;
    }
    if (runPcalTrans) {
      if (!jar) throw new Error("--pcal-trans needs the jar: --jar or SYNOD_TLC_JAR");
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
    } else {
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

/** Whether module `name` in `dir` is, EXTENDS or INSTANCEs module `target` (through the folder's modules). */
function dependsOn(dir, name, target, seen = new Set()) {
  if (name === target) return true;
  if (seen.has(name)) return false;
  seen.add(name);
  const file = join(dir, `${name}.tla`);
  if (!existsSync(file)) return false;
  const text = readFileSync(file, "utf8");
  const refs = [...text.matchAll(/\b(?:EXTENDS|INSTANCE)\b([^\n]*)/g)].flatMap((m) => m[1].split(/[^A-Za-z0-9_]+/)).filter(Boolean);
  return refs.some((r) => dependsOn(dir, r, target, seen));
}

/** The figures compared between the two checks. */
const figures = (r) => ({ verdict: r.verdict, distinct: r.distinct, generated: r.generated });

if (countsSeconds !== null) {
  if (!jar) {
    console.error("--counts needs TLC: --jar or SYNOD_TLC_JAR");
    process.exit(2);
  }
  for (const r of results.filter((x) => x.outcome === "translation differs")) {
    const dir = dirname(r.file);
    const target = basename(r.file, ".tla");
    const manifestPath = join(dir, "manifest.json");
    r.models = [];
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
    for (const mod of manifest.modules ?? []) {
      for (const model of mod.models ?? []) {
        const root = basename(mod.path, ".tla");
        if (dirname(join(dir, basename(mod.path))) !== dir || model.mode !== "exhaustive search") continue;
        if (!dependsOn(dir, root, target)) continue;
        const entry = { model: basename(model.path), runtime: model.runtime };
        r.models.push(entry);
        if (seconds(model.runtime) > countsSeconds) {
          entry.skipped = `manifest runtime ${model.runtime} > ${countsSeconds} s`;
          continue;
        }
        const ours = mkdtempSync(join(tmpdir(), "synod-pcal-counts-"));
        try {
          cpSync(dir, ours, { recursive: true });
          writeFileSync(join(ours, basename(r.file)), translateModule(readFileSync(r.file, "utf8"), { checksums: "keep" }).text);
          const spec = `${root}.tla`;
          const cfg = basename(model.path);
          const deadlock = !/CHECK_DEADLOCK\s+FALSE/.test(readFileSync(join(dir, cfg), "utf8"));
          const timeoutMs = Math.max(600_000, countsSeconds * 20_000);
          let before;
          let after;
          try {
            before = runTlc({ jar, specPath: join(dir, spec), cfgPath: join(dir, cfg), deadlock, timeoutMs });
            after = runTlc({ jar, specPath: join(ours, spec), cfgPath: join(ours, cfg), deadlock, timeoutMs });
          } catch (e) {
            entry.skipped = `TLC did not finish: ${e.message}`;
            continue;
          }
          const mine = await checkSpec({ spec: { path: join(ours, spec) }, cfg: { path: join(ours, cfg) } });
          entry.tlcOnFile = figures(before);
          entry.tlcOnOurs = figures(after);
          entry.tlaCheckOnOurs = figures(mine);
          if (model.distinctStates !== undefined) entry.manifestDistinct = model.distinctStates;
          const same = (a, b) => a.verdict === b.verdict && a.distinct === b.distinct && a.generated === b.generated;
          entry.same = same(entry.tlcOnFile, entry.tlcOnOurs) && same(entry.tlcOnOurs, entry.tlaCheckOnOurs);
        } finally {
          rmSync(ours, { recursive: true, force: true });
        }
      }
    }
  }
}

if (json) console.log(JSON.stringify(results, null, 2));
else {
  const tally = new Map();
  for (const r of results) tally.set(r.outcome, (tally.get(r.outcome) ?? 0) + 1);
  for (const r of results) {
    const extra = [r.pcalChecksum ? `chksum(pcal) ${r.pcalChecksum}` : "", r.tlaChecksum ? `chksum(tla) ${r.tlaChecksum}` : ""].filter(Boolean).join(", ");
    console.log(`${r.outcome.padEnd(24)} ${r.file}${extra ? `  [${extra}]` : ""}`);
    if (r.ourError) console.log(`    ours: ${r.ourError.split("\n").join(" ")}`);
    if (r.theirError) console.log(`    pcal.trans: ${r.theirError.split("\n").join(" ")}`);
    if (r.diff && show > 0) console.log(`    line ${r.diff.line}\n      ours:   ${JSON.stringify(r.diff.ours)}\n      theirs: ${JSON.stringify(r.diff.theirs)}`);
    for (const m of r.models ?? []) {
      if (m.skipped) console.log(`    ${m.model}: not run (${m.skipped})`);
      else console.log(`    ${m.model}: ${m.same ? "same" : "DIFFERENT"} counts: TLC on the file ${JSON.stringify(m.tlcOnFile)}, TLC on ours ${JSON.stringify(m.tlcOnOurs)}, tla-check on ours ${JSON.stringify(m.tlaCheckOnOurs)}`);
    }
  }
  console.log(`\n${results.length} modules with an algorithm: ${[...tally].map(([k, v]) => `${v} ${k}`).join(", ")}`);
}
