/**
 * What runs without a server: etcd's command line, the run's command line, and the history
 * writer, whose claims (recorded by other processes on the host's monotonic clock) the leadership
 * judge reads: a stale leader's claim after a newer generation is flagged, a clean failover is not.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { leadership } from "@synod/conformance";
import { describe, expect, it } from "vitest";
import { parseArgs } from "../lib/args.mjs";
import { etcdArgs } from "../lib/etcd-cluster.mjs";
import { History, percentile } from "../lib/history.mjs";

describe("etcd's command line", () => {
  it("names the three members on loopback with the timing given", () => {
    const a = etcdArgs({ dir: "/d", basePort: 23400, heartbeatMs: 100, electionMs: 1000 }, 1);
    const at = (flag) => a[a.indexOf(flag) + 1];
    expect(at("--name")).toBe("e2");
    expect(at("--listen-client-urls")).toBe("http://127.0.0.1:23401");
    expect(at("--initial-cluster")).toBe("e1=http://127.0.0.1:23410,e2=http://127.0.0.1:23411,e3=http://127.0.0.1:23412");
    expect(at("--election-timeout")).toBe("1000");
    expect(at("--data-dir")).toBe(path.join("/d", "e2"));
  });
});

describe("the command line", () => {
  it("has defaults and refuses what it does not know, naming the flag", () => {
    expect(parseArgs([])).toMatchObject({ system: "both", scenario: "all", rounds: 3 });
    expect(parseArgs(["--scenario", "pause-leader", "--rounds", "1"])).toMatchObject({ scenario: "pause-leader", rounds: 1 });
    expect(() => parseArgs(["--system", "zookeeper"])).toThrow(/--system <which>.*Allowed choices are both, etcd, synod/);
    expect(() => parseArgs(["--rounds", "0"])).toThrow(/--rounds <n>.*expected an integer >= 1/);
    expect(() => parseArgs(["--ttl", "2"])).toThrow(/unknown option '--ttl'/);
  });
});

describe("the history writer", () => {
  const ms = 1e6;
  const write = (h) => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "rival-etcd-")), "h.json");
    h.write(file);
    return JSON.parse(fs.readFileSync(file, "utf8"));
  };

  it("writes claims the leadership judge reads: a clean failover passes", () => {
    const h = new History();
    h.claim("etcd-c1", 0, 1 * ms, { node: "c1", generation: 2, leaseRemainingMs: 2000 });
    h.claim("etcd-c1", 1000 * ms, 1001 * ms, { node: "c1", generation: 2, leaseRemainingMs: 1000 });
    h.claim("etcd-c2", 2100 * ms, 2101 * ms, { node: "c2", generation: 3, leaseRemainingMs: 2000 });
    h.invoke("synod-n1");
    h.complete("fail", "synod-n1", null);
    expect(leadership({ driftBound: 0.05 }).check(write(h), { timeoutMs: 1000 })).toMatchObject({ verdict: "ok" });
  });

  it("a resumed leader claiming its old generation after a newer one is flagged", () => {
    const h = new History();
    h.claim("etcd-c1", 0, 1 * ms, { node: "c1", generation: 2, leaseRemainingMs: 2000 });
    h.claim("etcd-c2", 2100 * ms, 2101 * ms, { node: "c2", generation: 3, leaseRemainingMs: 2000 });
    h.claim("etcd-c1", 6000 * ms, 6000 * ms, { node: "c1", generation: 2, leaseRemainingMs: 2000 });
    const v = leadership({ driftBound: 0.05 }).check(write(h), { timeoutMs: 1000 });
    expect(v.verdict).toBe("violation");
    expect(v.explanation).toContain("a fencing token went back in real time");
  });

  it("refuses a completion type the judge does not know, and takes percentiles by nearest rank", () => {
    expect(() => new History().complete("done", "c1", null)).toThrow(/not ok, fail or info/);
    expect(percentile([3, 1, 2], 50)).toBe(2);
  });
});
