/**
 * Operating a real cluster: four `synod serve raft` processes (n1..n3 the initial members, n4 a
 * node that waits to be added), all logging JSON lines. `synod status` reports the leader and
 * exits 1 without one; `synod kv` given one follower reaches the leader through the redirect;
 * addresses come from SYNOD_CLUSTER; `synod admin` transfers leadership, adds n4 (which gets a
 * snapshot installed) and removes it; the nodes log each of these as structured events.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAddressList } from "../src/commands/args.js";
import type { KvReply, KvRequest } from "../src/commands/kv.js";
import { ClusterClient } from "../src/transport/cluster-client.js";
import { freePorts, tempDir, waitFor } from "./helpers.js";
import { SYNOD_BIN, spawnSynod, type SynodProcess } from "./processes.js";

const IDS = ["n1", "n2", "n3", "n4"] as const;
const procs = new Map<string, SynodProcess>();
let root = "";
let clientAddr: Record<string, string> = {};
let all3 = "";

/** Run `synod args` with `env` added; never hangs past `timeoutMs`. */
function synod(args: string[], env: Record<string, string | undefined> = {}, timeoutMs = 20_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SYNOD_BIN, ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, SYNOD_CLUSTER: undefined, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

interface StatusJson {
  ok: boolean;
  leader: string | null;
  problems: string[];
  nodes: { address: string; reachable: boolean; node?: string; role?: string; epoch?: number; leaderId?: string | null; members?: string[]; learners?: string[]; commitIndex?: number; appliedIndex?: number }[];
}

async function status(cluster: string): Promise<{ code: number | null; json: StatusJson }> {
  const r = await synod(["status", "--cluster", cluster, "--json", "--timeout", "1s"]);
  return { code: r.code, json: JSON.parse(r.stdout) as StatusJson };
}

/** Poll `status` until `pred` holds. */
async function statusUntil(what: string, cluster: string, pred: (s: StatusJson, code: number | null) => boolean, timeoutMs = 15_000): Promise<StatusJson> {
  const deadline = Date.now() + timeoutMs;
  let last: StatusJson | null = null;
  while (Date.now() < deadline) {
    const { code, json } = await status(cluster);
    last = json;
    if (pred(json, code)) return json;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}; last status ${JSON.stringify(last)}`);
}

/** Every JSON log line a node wrote so far (all of its stderr must be JSON lines). */
function logEvents(id: string): { time: string; node: string; level: string; event: string; fields: Record<string, unknown> }[] {
  const text = procs.get(id)!.output();
  return text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => {
      try {
        return JSON.parse(l) as { time: string; node: string; level: string; event: string; fields: Record<string, unknown> };
      } catch {
        throw new Error(`${id} wrote a line that is not JSON: ${l}`);
      }
    });
}

beforeAll(async () => {
  const ports = await freePorts(8);
  root = tempDir("synod-operate-");
  const peers = IDS.map((id, i) => `${id}=127.0.0.1:${ports[i]}`).join(",");
  clientAddr = Object.fromEntries(IDS.map((id, i) => [id, `127.0.0.1:${ports[4 + i]}`]));
  all3 = ["n1", "n2", "n3"].map((id) => clientAddr[id]).join(",");
  for (const [i, id] of IDS.entries()) {
    const p = spawnSynod([
      "serve", "raft", "--id", id, "--peers", peers, "--members", "n1,n2,n3", "--client-port", String(ports[4 + i]), "--data", path.join(root, id),
      "--log-format", "json", "--snapshot-every-entries", "10", "--protocol-options", `{"snapshotRetainEntries":0}`, "--election-timeout-ms", "300-600", "--heartbeat-ms", "50",
    ]);
    procs.set(id, p);
  }
  for (const [id, p] of procs) await waitFor(`${id} to serve`, () => /serving raft/.test(p.output()) || p.child.exitCode !== null, 10_000);
  for (const [id, p] of procs) if (p.child.exitCode !== null) throw new Error(`${id} exited: ${p.output()}`);
});

afterAll(async () => {
  for (const p of procs.values()) p.child.kill("SIGKILL");
  await Promise.all([...procs.values()].map((p) => p.exited));
  if (root !== "") fs.rmSync(root, { recursive: true, force: true });
});

describe("a cluster people can operate", () => {
  it("synod status: one leader all agree on, with role, epoch, commit and membership per node", async () => {
    const s = await statusUntil("a leader", all3, (j, code) => code === 0 && j.ok);
    expect(s.problems).toEqual([]);
    expect(s.nodes).toHaveLength(3);
    for (const n of s.nodes) {
      expect(n.reachable).toBe(true);
      expect(n.leaderId).toBe(s.leader);
      expect(n.members).toEqual(["n1", "n2", "n3"]);
      expect(n.role).toBe(n.node === s.leader ? "leader" : "follower");
    }
    const text = await synod(["status", "--cluster", all3]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/address\s+node\s+role\s+term\s+leader\s+commit\s+applied\s+members/);
    expect(text.stdout).toContain(`ok: leader ${s.leader}`);
  });

  it("synod status exits 1 and names the problem: an unreachable node, or no leader", async () => {
    const [dead] = await freePorts(1);
    const withDead = await status(`${all3},127.0.0.1:${dead}`);
    expect(withDead.code).toBe(1);
    expect(withDead.json.problems.join("\n")).toMatch(new RegExp(`unreachable: 127\\.0\\.0\\.1:${dead}`));
    // n4 is not a member yet: it knows no leader, so a "cluster" of n4 alone has none.
    const lonely = await status(clientAddr["n4"]!);
    expect(lonely.code).toBe(1);
    expect(lonely.json.problems.join("\n")).toMatch(/no leader/);
  });

  it("synod kv given only a follower's address reaches the leader through the redirect", async () => {
    const s = await statusUntil("a leader", all3, (j, code) => code === 0 && j.ok);
    const follower = s.nodes.find((n) => n.node !== s.leader)!;
    const put = await synod(["kv", "put", "colour", "blue", "--cluster", follower.address, "--json", "--timeout", "5s"]);
    expect(put.code, put.stderr).toBe(0);
    const outcome = JSON.parse(put.stdout) as { status: string; attempts: number; nodeId: string };
    expect(outcome.status).toBe("ok");
    expect(outcome.nodeId).toBe(s.leader);
    // One attempt at the follower, one at the leader it named.
    expect(outcome.attempts).toBe(2);
  });

  it("cluster addresses come from SYNOD_CLUSTER when --cluster is absent; neither is a usage error", async () => {
    const get = await synod(["kv", "get", "colour"], { SYNOD_CLUSTER: all3 });
    expect(get.code, get.stderr).toBe(0);
    expect(get.stdout.trim()).toBe("blue");
    const st = await synod(["status"], { SYNOD_CLUSTER: all3 });
    expect(st.code, st.stdout).toBe(0);
    for (const args of [["kv", "get", "colour"], ["status"], ["admin", "transfer-leader", "n1"]]) {
      const r = await synod(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/no cluster given: pass --cluster host:port\[,host:port\.\.\.\] or set SYNOD_CLUSTER/);
    }
    const bad = await synod(["status"], { SYNOD_CLUSTER: "nonsense" });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/SYNOD_CLUSTER entry 1: "nonsense" is not host:port/);
  });

  it("synod admin transfer-leader hands leadership to a follower", async () => {
    const s = await statusUntil("a leader", all3, (j, code) => code === 0 && j.ok);
    const target = s.nodes.find((n) => n.node !== s.leader)!.node!;
    const r = await synod(["admin", "transfer-leader", target, "--cluster", all3]);
    expect(r.code, r.stderr).toBe(0);
    await statusUntil(`${target} to lead`, all3, (j, code) => code === 0 && j.leader === target);
    const refused = await synod(["admin", "transfer-leader", "n4", "--cluster", all3]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/rejected: n4 is not a voter/);
  });

  it("synod admin add-node and remove-node change the membership; the new node gets a snapshot", async () => {
    // Past the snapshot threshold, so n4 catches up from a snapshot rather than the log.
    const client = new ClusterClient<KvRequest, KvReply>({ cluster: parseAddressList(all3, "cluster") });
    try {
      for (let i = 0; i < 25; i++) expect((await client.request({ op: "put", key: `k${i}`, value: `v${i}` }, 5000)).status).toBe("ok");
    } finally {
      client.close();
    }
    const add = await synod(["admin", "add-node", "n4", "--cluster", all3]);
    expect(add.code, add.stderr).toBe(0);
    const all4 = `${all3},${clientAddr["n4"]}`;
    const s = await statusUntil("four voters", all4, (j, code) => code === 0 && j.nodes.every((n) => n.members?.join(",") === "n1,n2,n3,n4"));
    const n4 = s.nodes.find((n) => n.node === "n4")!;
    expect(n4.appliedIndex).toBeGreaterThan(25);
    const read = await synod(["kv", "get", "k24", "--cluster", clientAddr["n4"]!]);
    expect(read.stdout.trim()).toBe("v24");
    const remove = await synod(["admin", "remove-node", "n4", "--cluster", all4]);
    expect(remove.code, remove.stderr).toBe(0);
    await statusUntil("three voters again", all3, (j, code) => code === 0 && j.nodes.every((n) => n.members?.join(",") === "n1,n2,n3"));
    const unknown = await synod(["admin", "add-node", "not a node", "--cluster", all3]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/NODE: "not a node" is not a node id/);
  }, 60_000);

  it("nodes log elections, role, leader and membership changes and snapshot installs as JSON lines", async () => {
    const events = IDS.flatMap((id) => logEvents(id));
    for (const e of events) {
      expect(Number.isNaN(Date.parse(e.time))).toBe(false);
      expect(IDS).toContain(e.node);
      expect(["info", "warn", "error"]).toContain(e.level);
      expect(typeof e.event).toBe("string");
      expect(typeof e.fields).toBe("object");
    }
    const of = (id: string, event: string) => logEvents(id).filter((e) => e.event === event);
    expect(of("n1", "started")[0]!.fields).toMatchObject({ protocol: "raft", members: ["n1", "n2", "n3"], joining: false });
    expect(of("n4", "started")[0]!.fields).toMatchObject({ joining: true });
    // Someone was elected, and then the transfer made another node leader.
    const becameLeader = IDS.flatMap((id) => of(id, "role-changed").filter((e) => e.fields["to"] === "leader").map(() => id));
    expect(new Set(becameLeader).size).toBeGreaterThanOrEqual(2);
    expect(of("n1", "epoch-changed").length).toBeGreaterThanOrEqual(2);
    expect(of("n1", "leader-changed").length).toBeGreaterThanOrEqual(2);
    const added = of("n1", "membership-changed").find((e) => (e.fields["added"] as string[]).includes("n4"));
    const removed = of("n1", "membership-changed").find((e) => (e.fields["removed"] as string[]).includes("n4"));
    expect(added, JSON.stringify(of("n1", "membership-changed"))).toBeDefined();
    expect(removed).toBeDefined();
    const installed = of("n4", "snapshot-installed");
    expect(installed.length).toBeGreaterThanOrEqual(1);
    expect(installed[0]!.fields["index"] as number).toBeGreaterThanOrEqual(10);
    expect(IDS.some((id) => of(id, "snapshot-taken").length > 0)).toBe(true);
  });

  it("serve refuses a bad --log-format and --members naming a stranger", async () => {
    const r = await synod(["serve", "raft", "--id", "n1", "--peers", "n1=127.0.0.1:1", "--client-port", "2", "--data", path.join(root, "x"), "--log-format", "xml"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--log-format: "xml" is not one of text, json/);
    const m = await synod(["serve", "raft", "--id", "n1", "--peers", "n1=127.0.0.1:1", "--client-port", "2", "--data", path.join(root, "x"), "--members", "n1,n9"]);
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/--members entry 2: n9 is not in --peers/);
  });
});
