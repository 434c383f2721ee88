/**
 * The kit's generic checks on a toy protocol written the way docs/adding-a-protocol.md says
 * (conformance/template: a spec, a package with a node and a descriptor, nothing else): the
 * registry finds it, the three checks pass on it, its broken variant is caught by each check that
 * claims it, and a recorded failure replays exactly.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkHistories, findKit, loadKits, replay, runConformance, UnknownProtocolError, type AnyKit, type CheckName, type ConformanceRow } from "../src/index.js";

const FIXTURE = fileURLToPath(new URL("../template/", import.meta.url));
const registry = { root: FIXTURE };

describe("the registry", () => {
  it("finds a protocol through its package.json, and only the ones declared", async () => {
    const kits = await loadKits(registry);
    expect(kits.map((k) => k.name)).toEqual(["counter"]);
    await expect(findKit("paxos", registry)).rejects.toThrow(new UnknownProtocolError("paxos", ["counter"]));
  });

  it("names the package of a broken descriptor", async () => {
    const dir = await mkdtemp(join(tmpdir(), "kit-"));
    await writeFile(join(dir, "package.json"), JSON.stringify({ name: "x", synod: { kit: "./kit.mjs" } }));
    await writeFile(join(dir, "kit.mjs"), "export const kit = { name: 'Bad Name' };\n");
    await expect(loadKits({ root: FIXTURE, packageDirs: [dir] })).rejects.toThrow(`${join(dir, "kit.mjs")}: kit.name must be a lower-case name`);
    await writeFile(join(dir, "package.json"), JSON.stringify({ name: "x", synod: { kit: "./missing.js" } }));
    await expect(loadKits({ root: FIXTURE, packageDirs: [dir] })).rejects.toThrow(/synod\.kit .*missing\.js does not exist/);
  });

  it("takes several protocols from one package's `kits`, and names a bad entry", async () => {
    const counter = fileURLToPath(new URL("../template/packages/counter/src/kit/index.ts", import.meta.url));
    // One folder per module: an imported module stays cached under its path.
    const pkg = async (kits: string): Promise<string> => {
      const dir = await mkdtemp(join(tmpdir(), "kit-"));
      await writeFile(join(dir, "package.json"), JSON.stringify({ name: "x", synod: { kit: "./kits.ts" } }));
      await writeFile(join(dir, "kits.ts"), `import { kit } from ${JSON.stringify(counter)};\nexport const kits = ${kits};\n`);
      return dir;
    };
    const two = await pkg('[{ ...kit, name: "counter-a" }, { ...kit, name: "counter-b" }]');
    expect((await loadKits({ root: FIXTURE, packageDirs: [two] })).map((k) => k.name)).toEqual(["counter", "counter-a", "counter-b"]);
    const badEntry = await pkg('[kit, { name: "x" }]');
    await expect(loadKits({ root: badEntry, packageDirs: [badEntry] })).rejects.toThrow(/kits\.ts \(kits\[1\]\): kit\.title must be a string/);
    const empty = await pkg("[]");
    await expect(loadKits({ root: empty, packageDirs: [empty] })).rejects.toThrow(/`kits` must be a non-empty array/);
  });
});

describe("the three checks on a toy protocol", () => {
  let kit: AnyKit;
  let rows: ConformanceRow[] = [];
  it("pass on the correct build, reach every state TLC finds, and catch the broken variant", async () => {
    kit = await findKit("counter", registry);
    rows = await runConformance(kit, { size: "ci" });
    for (const r of rows) console.log(`${r.ok ? "ok  " : "FAIL"} ${r.seconds.toFixed(1)}s ${r.check}: ${r.detail.split("\n")[0]}`);
    expect(rows.filter((r) => !r.ok)).toEqual([]);
    const detail = (check: string): string => rows.find((r) => r.check === check)?.detail ?? "";
    expect(detail("spec→impl: every state of the coverage model")).toMatch(/74 distinct states \(TLC: 74\)/);
    expect(detail("spec actions exercised")).toBe("all 5 actions of Next taken by replay or trace validation");
    expect(detail("broken variant caught: forgetOnRestart")).toMatch(/^caught by 3: trace validation.*\| spec→impl.*\| fast-check seed 1/);
  });

  it("run one at a time (as `pnpm mutate` does), give exactly the rows of a full run, the variant rows only when asked for", async () => {
    kit ??= await findKit("counter", registry);
    const full = rows.length > 0 ? rows : await runConformance(kit, { size: "ci" });
    // A failing history's replay file goes to a fresh temporary folder each run.
    const strip = (r: ConformanceRow): Omit<ConformanceRow, "seconds"> => ({ protocol: r.protocol, check: r.check, ok: r.ok, detail: r.detail.replace(/synod-replay-[^/]+\//g, "synod-replay-X/") });
    const replayRows = await runConformance(kit, { size: "ci", checks: ["replay"] });
    expect(replayRows.map(strip)).toEqual(full.filter((r) => r.check.startsWith("spec→impl")).map(strip));
    const validateRows = await runConformance(kit, { size: "ci", checks: ["validate"] });
    expect(validateRows.map(strip)).toEqual(full.filter((r) => r.check.startsWith("impl→spec")).map(strip));
    const historyRows = await runConformance(kit, { size: "ci", checks: ["histories"] });
    expect(historyRows.map(strip)).toEqual(full.filter((r) => r.check.startsWith("histories")).map(strip));
    const variantRows = await runConformance(kit, { size: "ci", checks: [], variants: true });
    expect(variantRows.map(strip)).toEqual(full.filter((r) => r.check.startsWith("broken variant")).map(strip));
    expect(variantRows.length).toBe(kit.brokenVariants.length);
    await expect(runConformance(kit, { size: "ci", checks: ["replays" as CheckName] })).rejects.toThrow(/unknown check "replays" \(known: replay, validate, histories\)/);
  });

  it("a failing history replays exactly from its file", async () => {
    kit ??= await findKit("counter", registry);
    const dir = await mkdtemp(join(tmpdir(), "kit-"));
    const r = await checkHistories(kit, { seed: 3, numRuns: 40, variant: "forgetOnRestart", replayDir: dir });
    expect(r.failure).not.toBeNull();
    const out = await replay(r.failure!.replayFile, registry);
    expect(out).toMatchObject({ ok: false, reproduced: true });
    expect(out.report).toMatch(/Counter histories, seed \d+, 3 nodes, \d+ faults, variant forgetOnRestart/);
  });
});
