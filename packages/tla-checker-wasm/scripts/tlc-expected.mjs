#!/usr/bin/env node
// (Re)write corpus/<name>/expected.json from TLC's own output, so every expected figure in the
// corpus is reproducible. Needs Java and tla2tools.jar; the package's tests do not.
//
//   node scripts/tlc-expected.mjs [--jar PATH] [--check] [--fps N] [corpus-dir-name ...]
//
// --jar defaults to $SYNOD_TLC_JAR, then /work/shared/tools/tla2tools.jar. --check compares with
// the committed expected.json instead of writing and exits 1 on any difference.
//
// A liveness counterexample depends on TLC's fingerprint polynomial (random per run unless `-fp`
// is given: it orders each state's successors in TLC's liveness graph). So when TLC reports a
// temporal violation, the cfg is run again with `-fp 0` .. `-fp N-1` (--fps, default 16): the
// entry's traceLength/loop/command are those of `-fp 0` and "lassos" lists every distinct
// (traceLength, loop) seen, with the fp indices that gave it.
//
// For each X.cfg the spec is the .tla in the same folder whose name is the longest prefix of X
// (TwoPhaseSym.cfg -> TwoPhase.tla, MCPaxos.cfg -> MCPaxos.tla), unless expected.json already
// pins "spec". Options kept from an existing entry: "spec", "deadlock" (false = TLC's -deadlock),
// "depthReliable" (false = TLC's depth is not compared), "workers2" (also run with 2 workers) and
// "lassoReliable" (false = the lasso's shape is not compared, e.g. model values in the states) and
// "properties" (Java system properties TLC runs with, e.g. {"tlc2.tool.impl.Tool.cdot": "true"}
// for action composition; the corpus test gives them to tla-check for TLCGet("-Dname")).
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { runTlc } from "./tlc-run.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const corpus = resolve(here, "..", "corpus");

const argv = process.argv.slice(2);
let jar = process.env.SYNOD_TLC_JAR ?? "/work/shared/tools/tla2tools.jar";
let check = false;
let fps = 16;
const only = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === "--jar") jar = argv[++i];
  else if (argv[i] === "--check") check = true;
  else if (argv[i] === "--fps") fps = Number(argv[++i]);
  else only.push(argv[i]);
}
if (!existsSync(jar)) {
  console.error(`tla2tools.jar not found at ${jar} (use --jar or SYNOD_TLC_JAR)`);
  process.exit(2);
}

const KEPT = ["spec", "deadlock", "depthReliable", "workers2", "lassoReliable", "properties"];
const COMPARED = ["verdict", "name", "distinct", "generated", "depth", "traceLength", "loop", "lassos"];

/**
 * Every distinct (traceLength, loop) TLC prints for a violated liveness cfg over `-fp 0..n-1`,
 * in order of first appearance, and the fp-0 run itself.
 */
function lassosOver(n, run) {
  const lassos = [];
  let first = null;
  for (let fp = 0; fp < n; fp++) {
    const r = run(fp);
    if (fp === 0) first = r;
    if (r.verdict !== "liveness") throw new Error(`-fp ${fp} gave verdict ${r.verdict}, not liveness`);
    const same = lassos.find((l) => l.traceLength === r.traceLength && l.loop === r.loop);
    if (same) same.fp.push(fp);
    else lassos.push({ traceLength: r.traceLength, loop: r.loop, fp: [fp] });
  }
  return { first, lassos };
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

function specFor(dir, cfg) {
  const stem = basename(cfg, ".cfg");
  const candidates = readdirSync(dir).filter((f) => f.endsWith(".tla") && stem.startsWith(basename(f, ".tla")));
  candidates.sort((a, b) => b.length - a.length);
  if (candidates.length === 0) throw new Error(`${join(dir, cfg)}: no .tla whose name is a prefix of the cfg's`);
  return candidates[0];
}

let differences = 0;
const dirs = readdirSync(corpus, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
for (const name of dirs) {
  if (only.length > 0 && !only.includes(name)) continue;
  const dir = join(corpus, name);
  const expectedPath = join(dir, "expected.json");
  const previous = existsSync(expectedPath) ? JSON.parse(readFileSync(expectedPath, "utf8")) : [];
  const cfgs = readdirSync(dir).filter((f) => f.endsWith(".cfg")).sort();
  const entries = [];
  for (const cfg of cfgs) {
    const old = previous.find((e) => e.cfg === cfg) ?? {};
    const spec = old.spec ?? specFor(dir, cfg);
    const jvmArgs = Object.entries(old.properties ?? {}).map(([k, v]) => `-D${k}=${v}`);
    const opts = { jar, specPath: join(dir, spec), cfgPath: join(dir, cfg), deadlock: old.deadlock !== false, jvmArgs };
    let r = runTlc(opts);
    let lassos;
    if (r.verdict === "liveness") {
      const over = lassosOver(fps, (fp) => runTlc({ ...opts, fp }));
      r = over.first;
      lassos = over.lassos;
    }
    const entry = { cfg, spec };
    for (const k of KEPT.slice(1)) if (k in old) entry[k] = old[k];
    Object.assign(entry, {
      verdict: r.verdict, name: r.name, distinct: r.distinct, generated: r.generated, depth: r.depth,
      traceLength: r.traceLength,
    });
    if (r.verdict === "liveness") Object.assign(entry, { loop: r.loop, lassos });
    if (r.errorLocation) entry.errorLocation = r.errorLocation;
    if (r.message) entry.message = r.message;
    entry.tlc = r.tlc;
    entry.command = r.command;
    entries.push(entry);
    const summary = `${name}/${cfg}: ${r.verdict}${r.name ? ` ${r.name}` : ""} distinct=${r.distinct} generated=${r.generated} depth=${r.depth} trace=${r.traceLength}${lassos ? ` loop=${r.loop} lassos=${lassos.map((l) => `${l.traceLength}/${l.loop}`).join(",")}` : ""} (${r.seconds.toFixed(1)} s)`;
    if (check) {
      const diff = COMPARED.filter((k) => !same(old[k], entry[k]));
      if (diff.length > 0) {
        differences++;
        console.log(`DIFF ${summary}: ${diff.map((k) => `${k} ${JSON.stringify(old[k])} -> ${JSON.stringify(entry[k])}`).join(", ")}`);
      } else console.log(`same ${summary}`);
    } else console.log(summary);
    if (r.verdict === "unknown" || r.verdict === "parse") console.log(r.output);
  }
  if (!check) writeFileSync(expectedPath, `${JSON.stringify(entries, null, 2)}\n`);
}
if (check && differences > 0) process.exit(1);
