/**
 * `synod serve dynamo` and `synod kv` against it, through the committed bin: three nodes on
 * loopback with file storage; two blind puts from different clients become siblings, `kv get`
 * prints both and a context, a put over that context replaces them; a node killed with SIGKILL
 * and restarted serves the write it had stored (the only other holder being down); bad `--context` and `--protocol-options` are usage
 * errors naming the flag.
 */
import { afterAll, describe, expect, it } from "vitest";
import { runSynod } from "./processes.js";
import { IDS, makeCluster, stopAllNodes } from "./real-cluster.js";

afterAll(async () => {
  await stopAllNodes();
});

/** `synod kv` against the cluster, as a user types it. */
async function kv(clusterArg: string, ...args: string[]) {
  return runSynod(["kv", "--cluster", clusterArg, "--timeout", "5s", ...args]);
}

/** The sibling values `kv get` printed, and its context. */
function parseGet(stdout: string): { values: string[]; context: Record<string, number> } {
  const lines = stdout.trim().split("\n");
  const last = lines.pop() ?? "";
  expect(last.startsWith("context: "), stdout).toBe(true);
  return { values: lines.sort(), context: JSON.parse(last.slice("context: ".length)) as Record<string, number> };
}

describe("synod serve dynamo, synod kv get/put with siblings and a context", () => {
  it("keeps concurrent puts as siblings, replaces them with a put over their context, survives a SIGKILL", async () => {
    const c = await makeCluster({ protocol: "dynamo", flags: () => ["--protocol-options", '{"n":3,"r":2,"w":2}'] });
    for (const id of IDS) await c.start(id);

    // Two blind writes (no context: nothing read first) from two clients: concurrent, so siblings.
    expect((await kv(c.clusterArg, "put", "k", "red", "--context", "{}")).stdout).toBe("OK\n");
    expect((await kv(c.clusterArg, "put", "k", "blue", "--context", "{}")).stdout).toBe("OK\n");
    const g1 = await kv(c.clusterArg, "get", "k");
    expect(g1.code, g1.output).toBe(0);
    const r1 = parseGet(g1.stdout);
    expect(r1.values).toEqual(["blue", "red"]);
    expect(Object.values(r1.context).reduce((a, b) => a + b, 0)).toBe(2);

    // A put over that context supersedes both siblings.
    expect((await kv(c.clusterArg, "put", "k", "purple", "--context", JSON.stringify(r1.context))).code).toBe(0);
    const r2 = parseGet((await kv(c.clusterArg, "get", "k")).stdout);
    expect(r2.values).toEqual(["purple"]);

    // --json carries the whole answer: siblings with their dots, the context, the quorum used.
    const j = JSON.parse((await kv(c.clusterArg, "--json", "get", "k")).stdout) as { status: string; result: { siblings: { value: string; dot: string }[]; context: Record<string, number>; quorum: { r: number } } };
    expect(j.status).toBe("ok");
    expect(j.result.siblings.map((s) => s.value)).toEqual(["purple"]);
    expect(j.result.quorum.r).toBe(2);

    // A write only n1 and n2 take (n3 is down); then n1 is killed and restarted, n2 killed, n3
    // back: R = 2 from n1 and n3 can see the write only from n1's disk.
    await c.kill("n3");
    expect((await kv(c.clusterArg, "put", "k", "green", "--context", JSON.stringify(j.result.context))).code).toBe(0);
    await c.kill("n1");
    await c.start("n1");
    await c.kill("n2");
    await c.start("n3");
    const g3 = await kv(c.clusterArg, "get", "k");
    expect(g3.code, g3.output).toBe(0);
    expect(parseGet(g3.stdout).values).toEqual(["green"]);
    await c.start("n2");

    // A missing key: not found, exit status 1.
    const none = await kv(c.clusterArg, "get", "nothing-here");
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("nothing-here: not found");

    // A put without a context is refused by the store, naming the field.
    const blind = await kv(c.clusterArg, "put", "k", "x");
    expect(blind.code).toBe(1);
    expect(blind.stderr).toContain("command.context");
  }, 90_000);

  it("refuses a bad --context and bad protocol options, naming them", async () => {
    const bad = await runSynod(["kv", "--cluster", "127.0.0.1:1", "put", "k", "v", "--context", '{"n1":0}']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--context: "n1": expected a positive integer counter');
    const c = await makeCluster({ protocol: "dynamo", flags: () => ["--protocol-options", '{"nodes":["a"]}'] });
    await expect(c.start("n1")).rejects.toThrow(/dynamo option nodes: set by --peers/);
    const c2 = await makeCluster({ protocol: "dynamo", flags: () => ["--protocol-options", '{"r":9}'] });
    await expect(c2.start("n1")).rejects.toThrow(/dynamo option r: expected an integer in 1\.\.3/);
  }, 60_000);
});
