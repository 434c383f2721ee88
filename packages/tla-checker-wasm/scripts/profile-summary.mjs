#!/usr/bin/env node
// Where a check spends its time, from a V8 CPU profile of tla-check (`node --cpu-prof`):
//
//   cd specs/raft
//   node --cpu-prof --cpu-prof-dir=/tmp/prof ../../packages/tla-checker-wasm/bin/tla-check.js MCRaft.tla --config MCRaft.cfg
//   node ../../packages/tla-checker-wasm/scripts/profile-summary.mjs /tmp/prof/*.cpuprofile [--top N] [--under FUNCTION]
//
// Prints two Markdown tables of the share of samples: by phase of the search (each sample goes to
// the innermost phase on its stack: successor generation, invariants, constraints, action
// properties, fingerprinting, the fingerprint table, the search loop, start-up, garbage
// collection) and by where the time is spent itself (evaluator closures, set operations, equality,
// hashing, symmetry keys, built-in operators, the predicate memo, the engine). --top N adds the N
// functions with the most self time; --under F restricts that list to samples with F on the stack.
// Run it on the build (dist/): the categories go by file name.
import { readFileSync } from "node:fs";

const argv = process.argv.slice(2);
let top = 0;
let under = null;
const files = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === "--top") top = Number(argv[++i]);
  else if (argv[i] === "--under") under = new RegExp(`^${argv[++i]}$`);
  else if (argv[i].startsWith("--")) fail(`unknown option ${argv[i]}`);
  else files.push(argv[i]);
}
if (files.length !== 1 || !Number.isInteger(top) || top < 0) fail("give one .cpuprofile file");
function fail(message) {
  console.error(`profile-summary: ${message}\nusage: node scripts/profile-summary.mjs PROFILE.cpuprofile [--top N] [--under FUNCTION]`);
  process.exit(2);
}

let profile;
try {
  profile = JSON.parse(readFileSync(files[0], "utf8"));
} catch (err) {
  fail(`cannot read ${files[0]}: ${err.message}`);
}
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const time = new Map();
let total = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const d = profile.timeDeltas[i] ?? 0;
  time.set(profile.samples[i], (time.get(profile.samples[i]) ?? 0) + d);
  total += d;
}
const frameName = (id) => {
  const cf = byId.get(id).callFrame;
  return `${cf.functionName || "(anonymous)"}@${cf.url.split("/").slice(-2).join("/")}:${cf.lineNumber + 1}`;
};
const stack = (id) => {
  const out = [];
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) out.push(byId.get(cur).callFrame);
  return out;
};

const PHASES = [
  ["successor generation (Next)", (fn) => fn === "successorStates" || fn === "successors"],
  ["invariants", (fn) => fn === "violatedInvariant"],
  ["action properties", (fn) => fn === "violatedProperty"],
  ["state constraints", (fn) => fn === "inModel"],
  ["fingerprinting (incl. symmetry keys)", (fn, url) => /check\/canonical\.js$/.test(url) || fn === "stateInto" || fn === "fingerprintStateInto"],
  ["fingerprint table", (fn) => fn === "insertParts" || fn === "insertLocal" || fn === "insertShared"],
];
function phaseOf(id) {
  const frames = stack(id);
  if (frames[0].functionName === "(garbage collector)") return "garbage collection";
  if (!frames.some((f) => f.functionName === "searchSequential" || f.functionName === "searchParallel")) return "start-up (Node, modules, parsing, compiling)";
  for (const f of frames) for (const [name, test] of PHASES) if (test(f.functionName, f.url)) return name;
  // Builds before violatedProperty existed called the predicate's `holds` straight from `admit`.
  if (frames.some((f) => f.functionName === "holds" && /\/load\.js$/.test(f.url))) return "action properties";
  return "search loop, queue and the rest";
}
function placeOf(id) {
  const cf = byId.get(id).callFrame;
  const f = cf.url;
  if (cf.functionName === "(garbage collector)") return "garbage collection";
  if (/eval\/(compile|action|context|scope|temporal)\.js$|\/load\.js$/.test(f)) return "evaluator closures (eval/compile, eval/action)";
  if (/values\/sets\.js$/.test(f)) return "set operations (values/sets)";
  if (/values\/compare\.js$/.test(f)) return "equality and TLC's order (values/compare)";
  if (/values\/(value|ops)\.js$/.test(f)) return "hashing (values/value)";
  if (/values\/symmetry\.js$/.test(f)) return "symmetry keys (values/symmetry)";
  if (/stdlib\//.test(f)) return "built-in operators (stdlib)";
  if (/check\/predicate-memo\.js$/.test(f)) return "predicate memo (check/predicate-memo)";
  if (/check\//.test(f)) return "engine (check/: explorer, table, queue)";
  return "other (Node, tree-sitter, V8 built-ins)";
}

const byPhase = new Map();
const byPlace = new Map();
const selfTime = new Map();
let underTotal = 0;
for (const [id, d] of time) {
  byPhase.set(phaseOf(id), (byPhase.get(phaseOf(id)) ?? 0) + d);
  byPlace.set(placeOf(id), (byPlace.get(placeOf(id)) ?? 0) + d);
  if (under && !stack(id).some((f) => under.test(f.functionName))) continue;
  underTotal += d;
  selfTime.set(frameName(id), (selfTime.get(frameName(id)) ?? 0) + d);
}
const pct = (x, of = total) => (of > 0 ? ((100 * x) / of).toFixed(1) : "0.0");
const table = (title, m) => {
  console.log(`| ${title} | % of samples |\n|---|---|`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1])) console.log(`| ${k} | ${pct(v)} |`);
};
console.log(`${files[0]}: ${(total / 1e6).toFixed(2)} s sampled\n`);
table("phase (innermost on the stack)", byPhase);
console.log("");
table("where (self time)", byPlace);
if (top > 0) {
  console.log(`\nTop ${top} functions by self time${under ? ` under ${under.source} (${pct(underTotal)}% of samples; shares of that)` : ""}:`);
  for (const [k, v] of [...selfTime].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(v, under ? underTotal : total).padStart(5)}%  ${k}`);
}
