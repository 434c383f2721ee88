/**
 * The ZooKeeper recipe through the protocol kit, beside Redlock on the same spec folder: the
 * registry finds both descriptors of this package, every conformance check passes on the correct
 * build (trace validation included: session expiry by the server's clock is the spec's
 * SessionExpire), `uncheckedToken` is caught by replay and histories, and `trustWatch` (no second
 * listing after the watch fires) by replay and trace validation.
 */
import { loadKits, runConformance, type AnyKit } from "@synod/conformance";
import { describe, expect, it } from "vitest";
import { kit, kits, ZK_COVERAGE, zkKit } from "../../src/kit/index.js";

describe("the ZooKeeper recipe's descriptor", () => {
  it("is registered beside Redlock's, both claiming specs/lock", async () => {
    expect(kits.map((k) => k.name)).toEqual(["lock", "zklock"]);
    const all = await loadKits();
    const onLock = all.filter((k) => k.spec.dir === "specs/lock").map((k) => k.name);
    expect(onLock).toEqual(["lock", "zklock"]);
    expect(kit.spec.dir).toBe(zkKit.spec.dir);
  });

  it("passes every conformance check, and catches uncheckedToken and trustWatch", async () => {
    const rows = await runConformance(zkKit as unknown as AnyKit, { size: "ci" });
    for (const r of rows) console.log(`${r.ok ? "ok  " : "FAIL"} ${r.check}: ${r.detail}`);
    expect(rows.filter((r) => !r.ok)).toEqual([]);
    expect(rows.find((r) => r.check.startsWith("spec→impl: every state"))?.detail).toContain(`${ZK_COVERAGE.ci} distinct states (TLC: ${ZK_COVERAGE.ci})`);
    expect(rows.find((r) => r.check.startsWith("impl→spec"))?.detail).toContain("every spec action checked");
    expect(rows.find((r) => r.check === "broken variant caught: uncheckedToken")?.detail).toMatch(/caught by 2: spec→impl .*\(writes\) \| targeted pauseHolder .*two holders' writes interleave/);
    expect(rows.find((r) => r.check === "broken variant caught: trustWatch")?.detail).toMatch(/caught by 2: trace validation, .*WatchFires.* \| spec→impl /);
    // About 30 s at load 30 on the shared machine (6 s of CPU).
  }, 600_000);
});
