// Record what TLC prints and writes for the TLC options tla-check honours (-difftrace, -view,
// -inv, -dumpTrace, -continue, -coverage, -dump, -dfid), for test/engine/tlc-options.test.ts,
// which compares tla-check's output with these files and needs no Java. Development tool only.
//
//   node scripts/tlc-options-record.mjs --jar /path/tla2tools.jar [--community DIR] [case ...]
//
// Each case of test/engine/fixtures/tlc-options/cases.json is run with its TLC arguments in a
// scratch copy of that folder; TLC's standard output is kept from the first line after the
// initial states (or "Starting..." for -dfid) to the line before "Finished in", less the lines
// that depend on the run (fingerprint collision estimates, timestamps, "Processed debugger
// expression", the average outdegree tla-check does not compute), as recorded/<case>.out, and
// each file the case names as recorded/<case>.<file>. -dumpTrace needs the CommunityModules'
// Java overrides (IOUtils, Json): --community names a folder with them compiled
// (tlc2/overrides/*.class, with the modules' .tla files) and their lib/*.jar beside it.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, "..", "test", "engine", "fixtures", "tlc-options");

/** TLC's output reduced to what tla-check is compared on (see the header). */
export function normalizeTlcOutput(out) {
  const lines = out.split(/\r?\n/);
  let start = lines.findIndex((l) => l.startsWith("Finished computing initial states"));
  if (start < 0) start = lines.findIndex((l) => l.startsWith("Starting..."));
  let end = lines.findIndex((l, i) => i > start && l.startsWith("Finished in "));
  if (end < 0) end = lines.length;
  const dropped = [
    /^ {2}Estimates of the probability/,
    /^ {2}because two distinct states had/,
    /^ {2}calculated \(optimistic\)/,
    /^ {2}based on the actual fingerprints/,
    /^The average outdegree/,
    /^Processed debugger expression/,
    /^Progress\(/,
    /^Checking temporal properties for the/,
    /^Finished checking temporal properties/,
    /^Implied-temporal checking--satisfiability problem has/,
    /^Checking \d+ branches of temporal properties/,
  ];
  return (
    lines
      .slice(start + 1, end)
      .filter((l) => !dropped.some((re) => re.test(l)))
      .map((l) => l.replace(/__DebuggerExpr__\d+/g, "__DebuggerExpr__").replace(/ at \(?\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\)?/g, " at <time>").replace(/The coverage statistics at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d/, "The coverage statistics at <time>"))
      .join("\n") + "\n"
  );
}

function main() {
  const args = process.argv.slice(2);
  const flag = (name) => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const v = args[i + 1];
    args.splice(i, 2);
    return v;
  };
  const jar = flag("--jar") ?? process.env.SYNOD_TLC_JAR;
  const community = flag("--community");
  if (!jar) throw new Error("give --jar /path/tla2tools.jar (or SYNOD_TLC_JAR)");
  const cases = JSON.parse(readFileSync(join(fixtures, "cases.json"), "utf8")).filter((c) => args.length === 0 || args.includes(c.name));
  for (const c of cases) {
    const dir = mkdtempSync(join(tmpdir(), "tlc-options-"));
    try {
      for (const f of readdirSync(fixtures)) if (/\.(tla|cfg)$/.test(f)) cpSync(join(fixtures, f), join(dir, f));
      let cp = jar;
      const java = ["-XX:+UseParallelGC"];
      if (c.communityModules) {
        if (!community) {
          console.error(`${c.name}: skipped (needs --community)`);
          continue;
        }
        const libs = join(community, "..", "lib");
        cp = [jar, community, ...(existsSync(libs) ? readdirSync(libs).filter((f) => f.endsWith(".jar")).map((f) => join(libs, f)) : [])].join(":");
        java.push("-Dtlc2.overrides.TLCOverrides=tlc2.overrides.TLCOverrides");
      }
      const r = spawnSync("java", [...java, "-cp", cp, "tlc2.TLC", "-workers", "1", "-noGenerateSpecTE", "-metadir", join(dir, "states"), ...c.args], { cwd: dir, encoding: "utf8", maxBuffer: 1 << 28 });
      writeFileSync(join(fixtures, "recorded", `${c.name}.out`), `exit ${r.status}\n${normalizeTlcOutput(r.stdout)}`);
      for (const f of c.files ?? []) {
        const path = join(dir, f);
        if (!existsSync(path)) throw new Error(`${c.name}: TLC wrote no ${f}\n${r.stdout}`);
        writeFileSync(join(fixtures, "recorded", `${c.name}.${f}`), readFileSync(path));
      }
      console.log(`${c.name}: exit ${r.status}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
