/**
 * Served clusters of the protocols whose clients do more than take one node's answer (the
 * descriptor's `serve.client`, e.g. PBFT: signed requests, f + 1 matching replies): keys from
 * `synod keygen`, four real processes on loopback, `synod kv --protocol` writes and reads, the
 * primary SIGKILLed, and the cluster still answers.
 */
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadKits, type AnyKit } from "@synod/conformance";
import { freePorts, tempDir, waitFor } from "./helpers.js";
import { runSynod, spawnSynod, type SynodProcess } from "./processes.js";

const KITS: AnyKit[] = (await loadKits()).filter((k) => k.serve?.client !== undefined && k.serve.keygen !== undefined && k.histories.service.name === "kv");
const IDS = ["n1", "n2", "n3", "n4"];
const spawned: SynodProcess[] = [];

afterAll(async () => {
  for (const p of spawned) {
    if (p.child.exitCode === null) p.child.kill("SIGKILL");
    await p.exited;
  }
});

it("the registry has a protocol whose served clients sign and wait for a reply quorum", () => {
  expect(KITS.length).toBeGreaterThanOrEqual(1);
});

describe.each(KITS.map((k) => [k.name, k] as const))("a 4-node %s cluster of real processes", (name) => {
  it("serves signed clients, and keeps serving after its primary is SIGKILLed", async () => {
    const root = tempDir("synod-bft-");
    const keys = path.join(root, "keys");
    const gen = await runSynod(["keygen", name, "--nodes", IDS.join(","), "--clients", "alice", "--out", keys]);
    expect(gen.code, gen.output).toBe(0);
    const ports = await freePorts(8);
    const peers = IDS.map((id, i) => `${id}=127.0.0.1:${ports[i]}`).join(",");
    const cluster = IDS.map((_, i) => `127.0.0.1:${ports[4 + i]}`).join(",");
    const nodes = new Map<string, SynodProcess>();
    for (const [i, id] of IDS.entries()) {
      const p = spawnSynod(["serve", name, "--id", id, "--peers", peers, "--client-port", String(ports[4 + i]), "--data", path.join(root, id), "--election-timeout-ms", "300", "--protocol-options", JSON.stringify({ keys: path.join(keys, `${id}.json`) })]);
      spawned.push(p);
      nodes.set(id, p);
    }
    for (const [id, p] of nodes) await waitFor(`${id} to serve`, () => p.output().includes(`serving ${name}`) || p.child.exitCode !== null, 10_000);
    const kv = (seq: number, ...args: string[]) =>
      runSynod(["kv", ...args, "--cluster", cluster, "--protocol", name, "--protocol-options", JSON.stringify({ keys: path.join(keys, "client-alice.json") }), "--client-id", "alice", "--seq", String(seq), "--timeout", "10s"]);
    expect((await kv(1, "put", "x", "1")).code).toBe(0);
    const got = await kv(2, "get", "x");
    expect(got.code, got.output).toBe(0);
    expect(got.stdout.trim()).toBe("1");
    // Without --protocol the client cannot sign: it fails at once (the nodes' hello says why),
    // with a usage error naming the fix, not after a silent timeout.
    const started = Date.now();
    const unsigned = await runSynod(["kv", "get", "x", "--cluster", cluster, "--timeout", "20s"]);
    expect(unsigned.code, unsigned.output).toBe(2);
    expect(unsigned.output).toContain(`serves ${name}, whose clients sign their requests and check the replies: pass --protocol ${name}`);
    expect(Date.now() - started).toBeLessThan(15_000);
    const json = await runSynod(["kv", "get", "x", "--cluster", cluster, "--timeout", "20s", "--json"]);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ status: "misconfigured" });
    const status = await runSynod(["status", "--cluster", cluster, "--json"]);
    const leader = (JSON.parse(status.stdout) as { leader: string | null }).leader;
    expect(leader).not.toBeNull();
    const primary = nodes.get(leader!)!;
    primary.child.kill("SIGKILL");
    await primary.exited;
    const after = await kv(3, "put", "y", "2");
    expect(after.code, after.output).toBe(0);
    const y = await kv(4, "get", "y");
    expect(y.stdout.trim()).toBe("2");
  }, 120_000);
});
