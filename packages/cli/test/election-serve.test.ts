/**
 * `synod serve election` through the committed bin: the lease election with each member a
 * process of its own. Clients ask every member "are you the leader?"; one answers, with its
 * generation (fencing token) and the lease it has left. The leader is SIGKILLed: another member
 * leads a newer generation after waiting out the old lease. The leader is SIGSTOPped past its
 * lease and SIGCONTed: it does not claim its old lease once resumed. The leadership judge passes
 * the whole history. Options the election does not take are usage errors naming them.
 */
import fs from "node:fs";
import { leadership, type HistoryEvent } from "@synod/conformance";
import { afterAll, describe, expect, it } from "vitest";
import { ClusterClient } from "../src/index.js";
import { freePorts, tempDir, waitFor } from "./helpers.js";
import { runSynod, spawnSynod, type SynodProcess } from "./processes.js";

const IDS = ["n1", "n2", "n3"];
const OPTIONS = { leaseMs: 600, driftBound: 0.05 };
const everyProc: SynodProcess[] = [];
const dirs: string[] = [];

afterAll(async () => {
  for (const p of everyProc) {
    p.child.kill("SIGCONT");
    p.child.kill("SIGKILL");
  }
  await Promise.all(everyProc.map((p) => p.exited));
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe("synod serve election", () => {
  it("elects one leader per generation over TCP; a killed or paused leader is replaced, and the history is judged sound", async () => {
    const ports = await freePorts(2 * IDS.length);
    const root = tempDir("synod-election-");
    dirs.push(root);
    const peers = IDS.map((id, k) => `${id}=127.0.0.1:${ports[k]}`).join(",");
    const clientPort = (id: string): number => ports[IDS.length + IDS.indexOf(id)]!;
    const procs = new Map<string, SynodProcess>();
    const start = async (id: string): Promise<void> => {
      const p = spawnSynod(["serve", "election", "--id", id, "--peers", peers, "--client-port", String(clientPort(id)), "--data", `${root}/${id}`, "--protocol-options", JSON.stringify(OPTIONS), "--election-timeout-ms", "300-600", "--heartbeat-ms", "100"]);
      procs.set(id, p);
      everyProc.push(p);
      await waitFor(`${id} to serve`, () => p.output().includes("serving election") || p.child.exitCode !== null, 20_000);
      if (p.child.exitCode !== null) throw new Error(`${id} exited ${p.child.exitCode}: ${p.output()}`);
    };
    for (const id of IDS) await start(id);

    const t0 = process.hrtime.bigint();
    const now = (): number => Number(process.hrtime.bigint() - t0);
    const history: HistoryEvent[] = [];
    const clients = new Map(IDS.map((id) => [id, new ClusterClient<unknown, { node: string; generation: number; leaseRemainingMs: number }>({ cluster: [{ host: "127.0.0.1", port: clientPort(id) }], attemptTimeoutMs: 300 })]));
    /** Ask every live member once; the claims answered. */
    const ask = async (): Promise<{ node: string; generation: number }[]> => {
      const got: { node: string; generation: number }[] = [];
      await Promise.all(
        IDS.filter((id) => procs.get(id)!.child.exitCode === null && procs.get(id)!.child.signalCode === null).map(async (id) => {
          history.push({ type: "invoke", process: id, f: "lead", value: null, time: now() } as HistoryEvent);
          const out = await clients.get(id)!.request({ op: "lead" }, 300);
          if (out.status === "ok") {
            history.push({ type: "ok", process: id, f: "lead", value: out.result, time: now() } as HistoryEvent);
            got.push(out.result);
          } else history.push({ type: "fail", process: id, f: "lead", value: null, time: now() } as HistoryEvent);
        }),
      );
      return got;
    };
    const leaderOtherThan = async (gone: string | null, minGen: number): Promise<{ node: string; generation: number }> => {
      for (let k = 0; k < 300; k++) {
        const c = (await ask()).find((x) => x.node !== gone && x.generation > minGen);
        if (c) return c;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`no leader other than ${gone} above generation ${minGen}`);
    };

    const first = await leaderOtherThan(null, 0);
    for (let k = 0; k < 10; k++) await ask();
    procs.get(first.node)!.child.kill("SIGKILL");
    await procs.get(first.node)!.exited;
    const second = await leaderOtherThan(first.node, first.generation);
    expect(second.generation).toBeGreaterThan(first.generation);
    await start(first.node);
    for (let k = 0; k < 10; k++) await ask();

    // Pause the leader past its lease; another takes over; the resumed one does not claim.
    const paused = procs.get(second.node)!;
    paused.child.kill("SIGSTOP");
    const third = await leaderOtherThan(second.node, second.generation);
    paused.child.kill("SIGCONT");
    for (let k = 0; k < 20; k++) await ask();
    expect(third.generation).toBeGreaterThan(second.generation);

    for (const c of clients.values()) c.close();
    const verdict = leadership({ driftBound: OPTIONS.driftBound }).check(history, { timeoutMs: 10_000 });
    expect(verdict, JSON.stringify(verdict)).toMatchObject({ verdict: "ok" });
  }, 180_000);

  it("refuses members given as a protocol option, and a broken lease option, naming them", async () => {
    const [a, b] = await freePorts(2);
    const root = tempDir("synod-election-bad-");
    dirs.push(root);
    const base = ["serve", "election", "--id", "n1", "--peers", `n1=127.0.0.1:${a}`, "--client-port", String(b), "--data", root];
    const r1 = await runSynod([...base, "--protocol-options", '{"members":["n1"]}']);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toContain("members are --peers (or --members), not a protocol option");
    const r2 = await runSynod([...base, "--protocol-options", '{"leaseMs":100,"renewEveryMs":200}']);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain("renewEveryMs");
  });
});
