/**
 * The Bully election through the protocol kit: the registry finds it beside the lease election
 * (one package, two descriptors), every conformance check passes on the correct build, the broken
 * build is caught by replay and by trace validation, and replay refuses a timeout the
 * implementation never armed.
 */
import { AdapterError, findKit, loadKits, runConformance, type AnyKit } from "@synod/conformance";
import { describe, expect, it } from "vitest";
import { BULLY_COVERAGE_DISTINCT, bullyAdapter, bullyKit, loadBully } from "../../src/kit/index.js";

describe("the Bully descriptor", () => {
  it("is found by the registry beside the lease election's, from the same package", async () => {
    expect((await findKit("bully")).title).toBe("Bully election");
    const names = (await loadKits()).map((k) => k.name);
    expect(names).toContain("bully");
    expect(names).toContain("election");
  });

  it("passes every conformance check, and catches noTakeover with replay and trace validation", async () => {
    const rows = await runConformance(bullyKit as unknown as AnyKit, { size: "ci" });
    for (const r of rows) console.log(`${r.ok ? "ok  " : "FAIL"} ${r.check} (${r.seconds.toFixed(1)} s): ${r.detail}`);
    expect(rows.filter((r) => !r.ok)).toEqual([]);
    expect(rows.find((r) => r.check.startsWith("spec→impl: every state"))?.detail).toContain(`${BULLY_COVERAGE_DISTINCT} distinct states (TLC: ${BULLY_COVERAGE_DISTINCT})`);
    expect(rows.find((r) => r.check === "broken variant caught: noTakeover")?.detail).toMatch(/^caught by 2: trace validation.*\| spec→impl/);
  });

  it("replay refuses a spec timeout whose timer the node never armed", async () => {
    const spec = await loadBully(3, false);
    const adapter = bullyAdapter(spec);
    const h = adapter.create();
    // n1 is idle with no election under way: it armed its watch, not its answer timer.
    expect(() => adapter.apply(h, { action: "AnswerTimeout", params: [["i", spec.mv("n1")]] })).toThrow(AdapterError);
    expect(() => adapter.apply(h, { action: "AnswerTimeout", params: [["i", spec.mv("n1")]] })).toThrow(/no answer timer armed/);
    adapter.apply(h, { action: "DetectFailure", params: [["i", spec.mv("n1")]] });
    expect(adapter.abstract(h)[spec.model.variables.indexOf("phase")]).toEqual(spec.model.values.fromJS(new Map([[spec.mv("n1"), "electing"], [spec.mv("n2"), "idle"], [spec.mv("n3"), "idle"]])));
    adapter.apply(h, { action: "AnswerTimeout", params: [["i", spec.mv("n1")]] });
  });
});
