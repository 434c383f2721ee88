/**
 * A progress check for lock histories: one client's `work` requests, back to back, with nothing
 * else running, must complete at a rate that only a lock released at once allows. A client that
 * does not delete its keys makes every next holder (itself included) wait out the previous lease;
 * one that livelocks completes none. Either is a liveness bug that the mutual-exclusion judge
 * cannot see (a client that never gets the lock writes nothing wrong).
 *
 * @module
 */
import type { KitTypes, TargetedSchedule } from "@synod/conformance";
import type { NodeId } from "@synod/protocol";
import type { LockCommand, LockResult } from "../messages.js";

/** How {@link backToBack} runs. */
export interface BackToBack {
  /** The lock client the requests go to. */
  client: NodeId;
  /** When the first request is sent. */
  startMs: number;
  /** How long requests are sent back to back. */
  windowMs: number;
  /** Works that must complete within the window. */
  minWorks: number;
  /** The lease, in ms (for the failure's words: a holder that waits it out completes at most one work per lease). */
  leaseMs: number;
}

/** The targeted schedule (see the module comment); its runs should have no workload clients. */
export function backToBack<T extends KitTypes & { cmd: LockCommand; res: LockResult }>(o: BackToBack): TargetedSchedule<T> {
  return {
    description: `one client's works back to back for ${o.windowMs} ms: at least ${o.minWorks} must complete (waiting out each ${o.leaseMs} ms lease allows ${Math.floor(o.windowMs / o.leaseMs)})`,
    workload: { clients: 0 },
    arm(sim) {
      let done = 0;
      let sent = 0;
      let failed = 0;
      // Requests are sent, and completions counted, while the window is open.
      let open = false;
      const next = (): void => {
        if (!open) return;
        sent++;
        sim.request({ op: "work", value: `back-to-back-${sent}` }, o.client, (outcome) => {
          if (!open) return;
          if (outcome.type === "ok") done++;
          else failed++;
          next();
        });
      };
      sim.at(o.startMs, () => {
        open = true;
        next();
      });
      sim.at(o.startMs + o.windowMs, () => (open = false));
      return {
        onStep() {},
        finish() {
          if (done >= o.minWorks) return null;
          return `one client's works back to back: only ${done} of ${sent} completed in ${o.windowMs} ms (${failed} failed or timed out); at least ${o.minWorks} were expected, and a holder that waits out each ${o.leaseMs} ms lease completes at most ${Math.floor(o.windowMs / o.leaseMs)}`;
        },
      };
    },
  };
}
