/**
 * What the served lock tests share (`synod serve lock`, `synod serve zklock`): a cluster of one
 * `synod serve` process per node on loopback, restartable by id, and a history of `work` and
 * `log` operations in the mutual-exclusion judge's vocabulary.
 */
import fs from "node:fs";
import { mutualExclusion, type HistoryEvent, type JudgeVerdict } from "@synod/conformance";
import { expect } from "vitest";
import { ClusterClient } from "../src/index.js";
import { freePorts, tempDir, waitFor } from "./helpers.js";
import { spawnSynod, type SynodProcess } from "./processes.js";

/** A served lock cluster; `close` kills every process it started and removes its data. */
export interface ServedLock {
  clientPort(id: string): number;
  start(id: string): Promise<void>;
  kill(id: string): Promise<void>;
  alive(id: string): boolean;
  close(): Promise<void>;
}

/** Serve `protocol` on `ids`, each with `args(id)` after the common flags; nothing is started yet. */
export async function servedLock(protocol: string, ids: readonly string[], args: (id: string) => string[]): Promise<ServedLock> {
  const ports = await freePorts(2 * ids.length);
  const root = tempDir(`synod-${protocol}-`);
  const peers = ids.map((id, k) => `${id}=127.0.0.1:${ports[k]}`).join(",");
  const clientPort = (id: string): number => ports[ids.length + ids.indexOf(id)]!;
  const procs = new Map<string, SynodProcess>();
  const every: SynodProcess[] = [];
  return {
    clientPort,
    async start(id) {
      const p = spawnSynod(["serve", protocol, "--id", id, "--peers", peers, "--client-port", String(clientPort(id)), "--data", `${root}/${id}`, ...args(id)]);
      procs.set(id, p);
      every.push(p);
      await waitFor(`${id} to serve`, () => p.output().includes(`serving ${protocol}`) || p.child.exitCode !== null, 20_000);
      if (p.child.exitCode !== null) throw new Error(`${id} exited ${p.child.exitCode}: ${p.output()}`);
    },
    async kill(id) {
      const p = procs.get(id)!;
      p.child.kill("SIGKILL");
      await p.exited;
    },
    alive: (id) => {
      const p = procs.get(id);
      return p !== undefined && p.child.exitCode === null && p.child.signalCode === null;
    },
    async close() {
      for (const p of every) p.child.kill("SIGKILL");
      await Promise.all(every.map((p) => p.exited));
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

type WorkResult = { attempt: string; token: number; accepted: boolean };

/** Clients of a served lock cluster, recording every `work` and the final `log` for the judge. */
export class LockHistory {
  readonly history: HistoryEvent[] = [];
  private readonly t0 = Date.now();
  private generation = 0;
  private readonly clients = new Map<string, ClusterClient<unknown, WorkResult>>();

  constructor(private readonly cluster: ServedLock) {}

  private now(): number {
    return (Date.now() - this.t0) * 1e6;
  }

  /** The client of node `id` (a new client id after {@link LockHistory.forget}). */
  client(id: string): ClusterClient<unknown, WorkResult> {
    let c = this.clients.get(id);
    if (c === undefined) {
      c = new ClusterClient({ cluster: [{ host: "127.0.0.1", port: this.cluster.clientPort(id) }], clientId: `test-${id}-${++this.generation}` });
      this.clients.set(id, c);
    }
    return c;
  }

  /** Drop node `id`'s client (before its process is killed). */
  forget(id: string): void {
    this.clients.get(id)?.close();
    this.clients.delete(id);
  }

  /** One `work` through lock client `id`; it must succeed. */
  async work(id: string, value: string, timeoutMs = 20_000): Promise<void> {
    this.history.push({ type: "invoke", process: id, f: "work", value, time: this.now() } as HistoryEvent);
    const out = await this.client(id).request({ op: "work", value }, timeoutMs);
    expect(out.status, `${id} ${value}: ${JSON.stringify(out)}`).toBe("ok");
    if (out.status !== "ok") return;
    this.history.push({ type: "ok", process: id, f: "work", value: out.result, time: this.now() } as HistoryEvent);
  }

  /** Read the storage's log from node `storage`, add it to the history, and judge the whole. */
  async judge(storage: string): Promise<{ writes: { token: number }[]; verdict: JudgeVerdict }> {
    const log = await this.client(storage).request({ op: "log" }, 10_000);
    expect(log.status).toBe("ok");
    this.history.push({ type: "invoke", process: storage, f: "log", value: null, time: this.now() } as HistoryEvent);
    this.history.push({ type: "ok", process: storage, f: "log", value: (log as { result: unknown }).result, time: this.now() } as HistoryEvent);
    const writes = (log as unknown as { result: { writes: { token: number }[] } }).result.writes;
    return { writes, verdict: mutualExclusion().check(this.history, { timeoutMs: 10_000 }) };
  }

  close(): void {
    for (const c of this.clients.values()) c.close();
  }
}
