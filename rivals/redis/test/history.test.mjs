/**
 * The parts of the rival that need no server: the history writer, the token arithmetic and the
 * majority wait.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mutualExclusion } from "@synod/conformance";
import { CLIENT_BITS, firstOf, nextToken } from "../lib/fencing.mjs";
import { History, logRead, storageListName } from "../lib/history.mjs";

describe("the history writer", () => {
  it("orders events of several processes by time and writes what the judge reads", () => {
    let t = 1000;
    const h = new History(1000, () => t);
    t = 1005;
    h.add("b", "invoke", "work", "x");
    h.merge([{ process: "a", type: "invoke", f: "work", value: "y", timeNs: 1e6 }]);
    t = 1007.5;
    h.add("b", "ok", "work", { attempt: "b.1", granted: 6, accepted: true });
    h.merge([{ process: "a", type: "ok", f: "work", value: { attempt: "a.1", granted: 2, accepted: true }, timeNs: 9e6 }]);
    t = 1010;
    logRead(h, [{ attempt: "b.1", value: "x" }, { attempt: "a.1", value: "y" }]);
    expect(h.sorted().map((e) => `${e.process}/${e.type}/${e.timeNs}`).slice(0, 4)).toEqual(["a/invoke/1000000", "b/invoke/5000000", "b/ok/7500000", "a/ok/9000000"]);
    const file = join(mkdtempSync(join(tmpdir(), "rival-redis-test-")), "h.json");
    h.write(file);
    const back = JSON.parse(readFileSync(file, "utf8"));
    expect(back).toHaveLength(6);
    // a.1 was granted before b.1 but wrote after it: the judge must see that in what was written.
    const v = mutualExclusion().check(back, { timeoutMs: 1000 });
    expect(v.verdict).toBe("violation");
    expect(v.verdict === "violation" && v.explanation).toContain("holding a.1 (granted at 2 ms) as entry 2 of its log, after the write of the later holding b.1 (granted at 6 ms)");
  });

  it("refuses an event type the judge's vocabulary does not have", () => {
    expect(() => new History(0).add("a", "done", "work", null)).toThrow('event type "done" is not invoke, ok, fail or info');
  });
});

describe("the majority token", () => {
  it("is larger than the value read, and distinct for two clients that read the same value", () => {
    expect(nextToken(0, 1)).toBe(2 ** CLIENT_BITS + 1);
    expect(nextToken(2 ** CLIENT_BITS + 1, 2)).toBe(2 * 2 ** CLIENT_BITS + 2);
    expect(nextToken(5 * 2 ** CLIENT_BITS + 7, 3)).toBeGreaterThan(5 * 2 ** CLIENT_BITS + 7);
    expect(nextToken(9, 1)).not.toBe(nextToken(9, 2));
    expect(() => nextToken(0, 2 ** CLIENT_BITS)).toThrow("client number 1024 is not in 0..1023");
    expect(() => nextToken(-1, 0)).toThrow("counter value -1");
  });

  it("waits for a majority only, and fails once a majority cannot answer", async () => {
    const never = new Promise(() => {});
    await expect(firstOf([Promise.resolve(1), never, Promise.resolve(3)], 2, "read")).resolves.toEqual([1, 3]);
    const fail = () => Promise.reject(new Error("connection refused"));
    await expect(firstOf([Promise.resolve(1), fail(), fail()], 2, "token read of k")).rejects.toThrow("token read of k: 2 of 3 nodes failed (connection refused), a majority of 2 cannot answer");
  });
});

describe("free ports", () => {
  it("are distinct within one call: all are held together, so one run never picks a port twice (a run failed with EADDRINUSE when ports were picked one at a time)", async () => {
    const { freePorts } = await import("../lib/servers.mjs");
    const ports = await freePorts(40);
    expect(new Set(ports).size).toBe(40);
  });
});

describe("the storage lists of a run", () => {
  it("are distinct for the latency and the contention load of one client (a shared list judged one load's writes as the other's)", () => {
    const names = [storageListName("fenced, latency", 1), storageListName("fenced, contention", 1), storageListName("fenced, contention", 4), storageListName("2 of 5 dead, latency", 1), storageListName("2 of 5 dead, contention", 1)];
    expect(new Set(names).size).toBe(names.length);
  });
});
