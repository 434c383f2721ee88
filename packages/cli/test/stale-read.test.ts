/**
 * Shows that the real-cluster pipeline (processes, TCP, lincheck) catches a real protocol bug: the
 * leader is cut off from the other two (every peer link goes through a proxy the test controls),
 * they elect a new leader and commit a write, and a client asks the old leader first. Raft's
 * read-index cannot confirm leadership, so the client gives up on it and reads the new value from
 * the new leader; the TEST-ONLY variant `unsafe.readWithoutConfirmation` answers from its stale
 * state, and lincheck must call the history illegal. Both runs use checkQuorum: false, so the cut
 * off leader keeps believing it leads (with check-quorum it steps down, which is the point of it).
 */
import { afterAll, describe, expect, it } from "vitest";
import { checkHistory, kv, type HistoryEvent } from "@synod/lincheck";
import type { KvReply, KvRequest } from "../src/commands/kv.js";
import { ClusterClient } from "../src/transport/cluster-client.js";
import { IDS, makeCluster, running, stopAllNodes } from "./real-cluster.js";

const clients: ClusterClient<KvRequest, KvReply>[] = [];
afterAll(async () => {
  for (const c of clients) c.close();
  await stopAllNodes();
});

function client(cluster: { host: string; port: number }[], attemptTimeoutMs = 1000): ClusterClient<KvRequest, KvReply> {
  const c = new ClusterClient<KvRequest, KvReply>({ cluster, attemptTimeoutMs });
  clients.push(c);
  return c;
}

async function pausedLeaderRead(raftOptions: object): Promise<{ read: string | null | "no answer"; verdict: string }> {
  const c = await makeCluster({ flags: () => ["--protocol-options", JSON.stringify(raftOptions)], proxied: true });
  for (const id of IDS) await c.start(id);
  const events: HistoryEvent[] = [];
  const invoke = (process: number, f: string, value: HistoryEvent["value"]) => events.push({ process, type: "invoke", f, key: "k", value });
  const ok = (process: number, f: string, value: HistoryEvent["value"]) => events.push({ process, type: "ok", f, key: "k", value });

  invoke(0, "put", "v1");
  const first = await client(c.clientAddrs).request({ op: "put", key: "k", value: "v1" }, 10_000);
  expect(first.status).toBe("ok");
  ok(0, "put", null);
  const leader = first.status === "ok" ? first.nodeId! : "";
  const others = IDS.filter((id) => id !== leader);

  c.isolate(leader);
  invoke(1, "put", "v2");
  const second = await client(others.map((id) => c.clientAddr(id))).request({ op: "put", key: "k", value: "v2" }, 15_000);
  expect(second.status).toBe("ok");
  ok(1, "put", null);

  // The read goes to the old leader first (the client tries its addresses in order).
  invoke(2, "get", null);
  const reader = client([c.clientAddr(leader), ...others.map((id) => c.clientAddr(id))], 1000);
  const out = await reader.request({ op: "get", key: "k" }, 15_000);
  c.isolate(null);
  let read: string | null | "no answer" = "no answer";
  if (out.status === "ok") {
    read = "value" in out.result ? (out.result.value ?? null) : null;
    ok(2, "get", read);
  } else {
    events.push({ process: 2, type: "info", f: "get", key: "k", value: null });
  }
  const verdict = checkHistory(events, kv(), { timeoutMs: 10_000 }).verdict;
  if (verdict !== "ok" || read !== "v2") {
    // Context for an unexpected outcome: who led, what the client saw, what the nodes logged.
    console.log(`stale-read: leader ${leader}, outcome ${JSON.stringify(out)}`);
    for (const [id, p] of running) console.log(`--- ${id}\n${p.output()}`);
  }
  await stopAllNodes();
  return { read, verdict };
}

describe("a read at a leader that was deposed while paused", () => {
  it("is confirmed first by Raft's read-index: the history is linearizable", async () => {
    const r = await pausedLeaderRead({ checkQuorum: false });
    expect(r).toEqual({ read: "v2", verdict: "ok" });
  }, 60_000);

  it("is answered stale by the unsafe variant, and lincheck catches it", async () => {
    const r = await pausedLeaderRead({ checkQuorum: false, unsafe: { readWithoutConfirmation: true } });
    expect(r).toEqual({ read: "v1", verdict: "illegal" });
  }, 60_000);
});
