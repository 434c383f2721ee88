/**
 * What runs without a server: the store's fencing decision, the zoo.cfg writer, the `srvr`
 * parser, the command line, and the history writer, whose files the mutual-exclusion judge reads
 * (a fenced run passes, Kleppmann's order on an unfenced store is flagged).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { mutualExclusion } from "@synod/conformance";
import { describe, expect, it } from "vitest";
import { parseArgs } from "../lib/args.mjs";
import { History, percentile } from "../lib/history.mjs";
import { checkWrite, decide, storeState } from "../lib/store.mjs";
import { modeOf, zooCfg } from "../lib/zk-cluster.mjs";

describe("the store's fencing decision", () => {
  it("fenced: rejects a token below the highest accepted, accepts equal or higher, and answers a resent write as before", () => {
    const s = storeState(true);
    expect(decide(s, { attempt: "b", token: 7, value: "x" })).toBe(true);
    expect(decide(s, { attempt: "a", token: 5, value: "y" })).toBe(false);
    expect(decide(s, { attempt: "c", token: 7, value: "z" })).toBe(true);
    expect(decide(s, { attempt: "a", token: 5, value: "y" })).toBe(false);
    expect(s.log.map((w) => w.attempt)).toEqual(["b", "c"]);
  });

  it("unfenced: accepts every write, stale or not", () => {
    const s = storeState(false);
    expect(decide(s, { attempt: "b", token: 7, value: "x" })).toBe(true);
    expect(decide(s, { attempt: "a", token: 5, value: "y" })).toBe(true);
    expect(s.log.map((w) => w.token)).toEqual([7, 5]);
  });

  it("names what is wrong with a write", () => {
    expect(checkWrite({ attempt: "a", token: 0, value: "v" })).toMatch(/write.token: expected an integer >= 1, got 0/);
    expect(checkWrite({ token: 1, value: "v" })).toMatch(/write.attempt/);
    expect(checkWrite({ attempt: "a", token: 1 })).toMatch(/write.value/);
    expect(checkWrite(null)).toMatch(/JSON object/);
    expect(checkWrite({ attempt: "a", token: 4294967299, value: "v" })).toBeNull();
  });
});

describe("the ensemble's configuration", () => {
  it("writes each server's zoo.cfg with the ensemble, loopback ports and session bounds of 2 to 20 ticks", () => {
    const cfg = zooCfg({ dataDir: "/d", tickMs: 200, clientPort: 2181, servers: [{ quorumPort: 1, electionPort: 2 }, { quorumPort: 3, electionPort: 4 }, { quorumPort: 5, electionPort: 6 }] });
    expect(cfg).toContain("server.3=127.0.0.1:5:6\n");
    expect(cfg).toContain("minSessionTimeout=400\n");
    expect(cfg).toContain("maxSessionTimeout=4000\n");
    expect(cfg).toContain("4lw.commands.whitelist=srvr,ruok\n");
  });

  it("reads the mode from a srvr answer", () => {
    expect(modeOf("Zookeeper version: 3.8.0\nLatency min/avg/max: 0/0.0/0\nMode: leader\nNode count: 5\n")).toBe("leader");
    expect(modeOf(null)).toBeNull();
    expect(modeOf("This ZooKeeper instance is not currently serving requests\n")).toBeNull();
  });
});

describe("the command line", () => {
  it("has defaults and refuses what it does not know, naming the flag", () => {
    expect(parseArgs([])).toMatchObject({ system: "both", scenario: "all", levels: [1, 4, 8] });
    expect(parseArgs(["--clients", "2,3", "--system", "synod"])).toMatchObject({ levels: [2, 3], system: "synod" });
    expect(() => parseArgs(["--client", "2"])).toThrow(/unknown option '--client'/);
    expect(() => parseArgs(["--clients", "2,x"])).toThrow(/--clients <list>.*entry 2: expected an integer in 1..16/);
    expect(() => parseArgs(["--scenario", "nope"])).toThrow(/--scenario <name>.*Allowed choices are all, contention/);
    expect(() => parseArgs(["--rounds"])).toThrow(/--rounds <n>.*argument missing/);
    expect(parseArgs(["--synod-raft", '{"readMode":"lease"}']).synodRaft).toEqual({ readMode: "lease" });
    expect(() => parseArgs(["--synod-raft", "lease"])).toThrow(/--synod-raft <json>.*not JSON/);
    expect(() => parseArgs(["--synod-raft", "[1]"])).toThrow(/--synod-raft <json>.*expected a JSON object/);
  });
});

describe("the history writer", () => {
  const run = (fenced) => {
    const h = new History();
    const s = storeState(fenced);
    // Kleppmann's order: holder 1 is paused, holder 2 takes the lock and writes, holder 1 writes.
    h.invoke("c1", "work", "first");
    h.invoke("c2", "work", "second");
    const second = decide(s, { attempt: "c2.1", token: 2, value: "second" });
    h.complete("ok", "c2", "work", { attempt: "c2.1", token: 2, accepted: second });
    const first = decide(s, { attempt: "c1.1", token: 1, value: "first" });
    h.complete("ok", "c1", "work", { attempt: "c1.1", token: 1, accepted: first });
    h.invoke("driver", "log", null);
    h.complete("ok", "driver", "log", { writes: s.log });
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "rival-zk-")), "h.json");
    h.write(file);
    return JSON.parse(fs.readFileSync(file, "utf8"));
  };

  it("writes a file the mutual-exclusion judge reads: fenced passes, unfenced is flagged", () => {
    expect(mutualExclusion().check(run(true), { timeoutMs: 1000 })).toMatchObject({ verdict: "ok" });
    const v = mutualExclusion().check(run(false), { timeoutMs: 1000 });
    expect(v.verdict).toBe("violation");
    expect(v.explanation).toContain("two holders' writes interleave");
  });

  it("refuses a completion type the judges do not know", () => {
    expect(() => new History().complete("done", "c1", "work", null)).toThrow(/not ok, fail or info/);
  });

  it("takes percentiles by nearest rank", () => {
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile([5, 1, 3, 2, 4], 99)).toBe(5);
    expect(Number.isNaN(percentile([], 50))).toBe(true);
  });
});

describe("CPU accounting", () => {
  it("reads user + system ticks from a /proc stat line, even with spaces and parentheses in the name", async () => {
    const { cpuSecondsOfStat, cpuSeconds } = await import("../lib/cpu.mjs");
    expect(cpuSecondsOfStat("123 (java (x) y) S 1 2 3 4 5 6 7 8 9 10 250 50 0 0")).toBe(3);
    expect(cpuSecondsOfStat("garbage")).toBeNull();
    expect(cpuSeconds(process.pid)).toBeGreaterThan(0);
    expect(cpuSeconds(2 ** 30)).toBe(0);
  });
});

describe("the store over HTTP", () => {
  it("answers verdicts, makes each durable in its file once, and refuses a malformed write naming the field", async () => {
    const { startStore } = await import("../lib/store.mjs");
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "rival-zk-store-")), "store.log");
    const store = await startStore({ fenced: true, file });
    try {
      const post = async (w) => {
        const res = await fetch(`${store.url}/write`, { method: "POST", body: JSON.stringify(w) });
        return { status: res.status, body: await res.json() };
      };
      expect(await post({ attempt: "b", token: 2, value: "x" })).toEqual({ status: 200, body: { accepted: true } });
      expect(await post({ attempt: "a", token: 1, value: "y" })).toEqual({ status: 200, body: { accepted: false } });
      expect(await post({ attempt: "a", token: 1, value: "y" })).toEqual({ status: 200, body: { accepted: false } });
      expect(await post({ attempt: "c", token: 0, value: "z" })).toMatchObject({ status: 400, body: { error: expect.stringContaining("write.token") } });
      expect((await (await fetch(`${store.url}/log`)).json()).writes.map((w) => w.attempt)).toEqual(["b"]);
    } finally {
      await store.close();
    }
    expect(fs.readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l))).toEqual([
      { attempt: "b", token: 2, accepted: true },
      { attempt: "a", token: 1, accepted: false },
    ]);
  });
});
