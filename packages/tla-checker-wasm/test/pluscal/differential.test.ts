/**
 * The PlusCal translator against pcal.trans itself. With `SYNOD_TLC_JAR=/path/to/tla2tools.jar`
 * (and `java` on the PATH) pcal.trans is run on copies of (a) the corpus modules without their
 * translation and (b) random algorithms (`algorithm-gen.ts`); the two outputs must be the same
 * file, or both must reject the algorithm at the same place. Without the jar, only the generator
 * is checked: every random algorithm either translates or is rejected with a PlusCal error
 * (never a crash), so the differential runs test what they are meant to.
 *
 * The seed is printed; replay with `SYNOD_SEED=<seed> [FC_PATH=<path>]` (`SEED` is read too),
 * `RUNS=<n>` sets the number.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PlusCalError, translateModule } from "../../src/pluscal/index.js";
import { corpusDir } from "../corpus/corpus.js";
import { algorithmArb } from "./algorithm-gen.js";

const jar = process.env.SYNOD_TLC_JAR;
const seedEnv = process.env.SYNOD_SEED ?? process.env.SEED;
const seed = seedEnv ? Number(seedEnv) : Date.now() % 2 ** 31;
const path = process.env.FC_PATH;
const runs = process.env.RUNS ? Number(process.env.RUNS) : undefined;

let counter = 0;
const arb = algorithmArb(() => ++counter);

/** What a translator made of a module: the new text, or the first "line L, column C" of its error. */
type Outcome = { text: string } | { error: string; at: string | null };

const firstPosition = (msg: string): string | null => /line (\d+), column (\d+)/.exec(msg)?.slice(1, 3).join(":") ?? null;

function ours(text: string): Outcome {
  try {
    return { text: translateModule(text, { checksums: "keep" }).text };
  } catch (e) {
    if (!(e instanceof PlusCalError)) throw e;
    // Ours names the position in the message where pcal.trans does, else in the error itself.
    return { error: e.message, at: firstPosition(e.message) ?? (e.line !== undefined ? `${e.line}:${e.column}` : null) };
  }
}

function pcalTrans(name: string, text: string): Outcome {
  const dir = mkdtempSync(join(tmpdir(), "synod-pcal-diff-"));
  const file = join(dir, `${name}.tla`);
  writeFileSync(file, text);
  try {
    let out: string;
    try {
      out = execFileSync("java", ["-cp", jar!, "pcal.trans", "-nocfg", file], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch (e) {
      // pcal.trans exits with status 255 after an error it reports on stdout.
      out = String((e as { stdout?: string }).stdout ?? e);
    }
    const err = /Unrecoverable error:\n -- ([\s\S]*?)\n\n/.exec(out) ?? /(You have discovered a bug in pcal\.trans[\s\S]*)/.exec(out);
    if (err) return { error: err[1]!, at: firstPosition(err[1]!) };
    return { text: readFileSync(file, "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The outcomes compared: same text, or both errors at the same place (when pcal.trans gives one). */
function comparable(o: Outcome, pcal: Outcome): unknown {
  if ("text" in o) return o.text;
  return { rejected: true, at: "at" in pcal && pcal.at !== null ? o.at : null };
}

const params = (numRuns: number) => ({ seed, numRuns: runs ?? numRuns, ...(path ? { path } : {}), endOnFailure: true });

describe("random PlusCal generator", { timeout: 120_000 }, () => {
  it("produces algorithms that translate or are rejected with a PlusCal error (seed printed)", () => {
    console.log(`pluscal generator seed=${seed} (replay with SYNOD_SEED=${seed})`);
    let translated = 0;
    fc.assert(
      fc.property(arb, (a) => {
        const o = ours(a.text);
        if ("text" in o) translated++;
      }),
      params(300),
    );
    // The generator must not only make broken algorithms.
    expect(translated).toBeGreaterThan(0);
  });
});

if (jar !== undefined) describe("PlusCal against pcal.trans (SYNOD_TLC_JAR)", { timeout: 600_000 }, () => {
  const modules = readdirSync(corpusDir).filter((d) => d.startsWith("pluscal-")).flatMap((d) => readdirSync(join(corpusDir, d)).filter((f) => f.endsWith(".tla")).map((f) => join(corpusDir, d, f)));
  for (const file of modules) {
    it(`${file.slice(corpusDir.length + 1)}: pcal.trans writes the same file from the algorithm alone`, () => {
      const stripped = readFileSync(file, "utf8").replace(/\\\* BEGIN TRANSLATION[\s\S]*?\\\* END TRANSLATION *\n/, "");
      const name = file.replace(/^.*\//, "").replace(/\.tla$/, "");
      const theirs = pcalTrans(name, stripped);
      expect("text" in theirs ? theirs.text : theirs).toBe(readFileSync(file, "utf8"));
      expect(ours(stripped)).toEqual(theirs);
    });
  }

  it("random algorithms: the same translation, or the same error position (seed printed)", () => {
    console.log(`pluscal differential seed=${seed} (replay with SYNOD_SEED=${seed})`);
    const tally = { same: 0, bothRejected: 0 };
    fc.assert(
      fc.property(arb, (a) => {
        const theirs = pcalTrans(a.name, a.text);
        const mine = ours(a.text);
        expect("text" in mine, `pcal.trans ${"text" in theirs ? "translated" : `rejected: ${(theirs as { error: string }).error}`}\n${a.text}`).toBe("text" in theirs);
        expect(comparable(mine, theirs), a.text).toEqual(comparable(theirs, theirs));
        if ("text" in mine) tally.same++;
        else tally.bothRejected++;
      }),
      params(60),
    );
    console.log(`pluscal differential: ${tally.same} identical translations, ${tally.bothRejected} rejected by both at the same place`);
  });
});
