/**
 * A soak worker thread: runs the seeds the main thread hands it, one batch at a time, and posts
 * each seed's result back. It loads the protocol's descriptor and spec once.
 *
 * @module
 */
import { parentPort, workerData } from "node:worker_threads";
import { findKit, soakSeed, type SeedResult } from "@synod/conformance";

/** What the main thread gives a worker. */
export interface WorkerInit {
  protocol: string;
  root: string | undefined;
  durationMs: number | undefined;
  replayDir: string | undefined;
}

/** Messages between the main thread and a worker. */
export type ToWorker = { type: "seeds"; seeds: number[] } | { type: "stop" };
export type FromWorker = { type: "ready" } | { type: "result"; result: SeedResult } | { type: "idle" } | { type: "error"; message: string };

async function main(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error("soak worker: not started as a worker thread");
  const init = workerData as WorkerInit;
  const kit = await findKit(init.protocol, init.root !== undefined ? { root: init.root } : {});
  const spec = await kit.spec.load("validate", "ci");
  const post = (m: FromWorker): void => port.postMessage(m);
  port.on("message", (m: ToWorker) => {
    if (m.type === "stop") {
      port.close();
      return;
    }
    void (async () => {
      try {
        for (const seed of m.seeds) {
          const result = await soakSeed(kit, spec, seed, {
            ...(init.durationMs !== undefined ? { durationMs: init.durationMs } : {}),
            ...(init.replayDir !== undefined ? { replayDir: init.replayDir } : {}),
          });
          post({ type: "result", result });
        }
        post({ type: "idle" });
      } catch (e) {
        post({ type: "error", message: (e as Error).message });
      }
    })();
  });
  post({ type: "ready" });
}

void main().catch((e: unknown) => parentPort?.postMessage({ type: "error", message: (e as Error).message } satisfies FromWorker));
