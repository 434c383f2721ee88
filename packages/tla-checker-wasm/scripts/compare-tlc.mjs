#!/usr/bin/env node
// Run TLC and Synod's checker on the same models and print a table of where they agree.
// Development tool (needs Java and a built package: `npx tsc -p tsconfig.json` first).
//
//   node scripts/compare-tlc.mjs [--jar PATH] [--lib DIR]... [--cache FILE] [--timeout SECONDS]
//        [--workers N] [--json FILE] [--src] MODEL...
//
// MODEL is `X.cfg` (the spec is the .tla in the same folder whose name is the longest prefix of
// X), or `Spec.tla:X.cfg`, or `Spec.tla:X.cfg:nodeadlock` (TLC's -deadlock). --lib adds a folder
// of extra modules (e.g. a TLAPS.tla) for both checkers. --src runs the checker from src/ through
// tsx instead of the built dist/. TLC's figures are cached in --cache
// (keyed by the files' paths and modification times) so re-runs only re-run our checker.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { runTlc } from "./tlc-run.mjs";

const here = dirname(fileURLToPath(import.meta.url));

if (process.argv[2] === "--ours") {
  // Child mode: one model through our checker, the result as JSON on stdout.
  const [specPath, cfgPath, deadlock, workers, libs, from] = process.argv.slice(3);
  const entry = from === "src" ? resolve(here, "..", "src", "index.ts") : resolve(here, "..", "dist", "index.js");
  const { checkSpec } = await import(entry);
  const r = await checkSpec({
    spec: { path: specPath }, cfg: { path: cfgPath }, workers: Number(workers),
    libDirs: libs ? libs.split(":") : [], ...(deadlock === "false" ? { deadlock: false } : {}),
  });
  delete r.trace;
  process.stdout.write(JSON.stringify(r));
  process.exit(0);
}

const argv = process.argv.slice(2);
let jar = process.env.SYNOD_TLC_JAR ?? "/work/shared/tools/tla2tools.jar";
const libDirs = [];
let cacheFile = null;
let jsonOut = null;
let timeoutS = 300;
let workers = 1;
let fromSrc = false;
const models = [];
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === "--jar") jar = argv[++i];
  else if (a === "--lib") libDirs.push(resolve(argv[++i]));
  else if (a === "--cache") cacheFile = resolve(argv[++i]);
  else if (a === "--json") jsonOut = resolve(argv[++i]);
  else if (a === "--timeout") timeoutS = Number(argv[++i]);
  else if (a === "--workers") workers = Number(argv[++i]);
  else if (a === "--src") fromSrc = true;
  else models.push(a);
}

function specFor(cfgPath) {
  const dir = dirname(cfgPath);
  const stem = basename(cfgPath, ".cfg");
  const c = readdirSync(dir).filter((f) => f.endsWith(".tla") && stem.startsWith(basename(f, ".tla")));
  c.sort((a, b) => b.length - a.length);
  if (c.length === 0) throw new Error(`${cfgPath}: no .tla whose name is a prefix of the cfg's`);
  return join(dir, c[0]);
}

const cache = cacheFile && existsSync(cacheFile) ? JSON.parse(readFileSync(cacheFile, "utf8")) : {};
const rows = [];
for (const m of models) {
  const parts = m.split(":");
  let specPath, cfgPath;
  if (parts[0].endsWith(".tla")) [specPath, cfgPath] = [resolve(parts[0]), resolve(parts[1])];
  else [cfgPath, specPath] = [resolve(parts[0]), specFor(resolve(parts[0]))];
  const deadlock = !parts.includes("nodeadlock");
  const dirFiles = readdirSync(dirname(specPath)).filter((f) => /\.(tla|cfg)$/.test(f));
  const key = `${specPath}|${cfgPath}|${deadlock}|${dirFiles.map((f) => statSync(join(dirname(specPath), f)).mtimeMs).join(",")}`;
  let tlc = cache[key];
  if (!tlc) {
    const r = runTlc({ jar, specPath, cfgPath, deadlock, timeoutMs: timeoutS * 1000 * 4, libDirs });
    tlc = { verdict: r.verdict, name: r.name, distinct: r.distinct, generated: r.generated, depth: r.depth,
      traceLength: r.traceLength, message: r.message, errorLocation: r.errorLocation, seconds: r.seconds };
    cache[key] = tlc;
    if (cacheFile) writeFileSync(cacheFile, JSON.stringify(cache, null, 1));
  }
  const started = Date.now();
  const tsx = resolve(here, "..", "..", "..", "node_modules", ".bin", "tsx");
  const childArgs = [fileURLToPath(import.meta.url), "--ours", specPath, cfgPath, String(deadlock), String(workers), libDirs.join(":"), fromSrc ? "src" : "dist"];
  const child = spawnSync(fromSrc ? tsx : process.execPath, childArgs,
    { encoding: "utf8", timeout: timeoutS * 1000, maxBuffer: 1 << 26 });
  const oursSeconds = (Date.now() - started) / 1000;
  let ours;
  if (child.error || child.status !== 0) {
    ours = { verdict: child.error?.code === "ETIMEDOUT" ? "timeout" : "crash", detail: (child.stderr || String(child.error)).slice(-600) };
  } else {
    try {
      ours = JSON.parse(child.stdout);
    } catch {
      ours = { verdict: "crash", detail: child.stdout.slice(-600) };
    }
  }
  const same = ["verdict", "name", "distinct", "generated", "traceLength"].filter((k) => tlc[k] !== ours[k]);
  const status = same.length === 0 ? (tlc.depth === ours.depth ? "same" : "same (depth differs)") : `DIFF ${same.join(",")}`;
  const row = { model: `${basename(dirname(cfgPath))}/${basename(cfgPath)}`, tlc, ours, status, tlcSeconds: tlc.seconds, oursSeconds };
  rows.push(row);
  const fmt = (r) => `${r.verdict}${r.name ? ` ${r.name}` : ""} ${r.distinct ?? "-"}/${r.generated ?? "-"} d${r.depth ?? "-"} t${r.traceLength ?? "-"}`;
  console.log(`${row.model.padEnd(48)} TLC ${fmt(tlc).padEnd(40)} ours ${fmt(ours).padEnd(40)} ${status}  (${tlc.seconds.toFixed(1)}s / ${oursSeconds.toFixed(1)}s)`);
  if (status.startsWith("DIFF")) {
    if (ours.error) console.log(`    ours: ${ours.error.kind}: ${ours.error.message}`);
    if (ours.detail) console.log(`    ours: ${ours.detail.split("\n").slice(-6).join("\n    ")}`);
    if (tlc.message) console.log(`    TLC: ${tlc.message}`);
  }
}
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(rows, null, 1));
