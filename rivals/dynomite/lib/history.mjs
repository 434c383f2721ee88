/**
 * The histories both stores' runs write, in the vocabulary of Synod's bounded-staleness judge
 * (`conformance/src/staleness.ts`): a write's invocation carries `{ value, supersedes }`, its ok
 * the quorum it ran with; a read's ok carries `{ values, ...quorum }`. Times in ns since the start.
 * Each key has one writer, which writes in sequence, so a write supersedes that writer's previous
 * write of the key (and, through it, every earlier one): in a last-writer-wins store (Dynomite over
 * Redis) a SET replaces the value, and in Synod's Dynamo the writer puts over the context of its
 * previous put, which covers exactly that write.
 *
 * @module
 */
import { describeStaleness, stalenessReport } from "@synod/conformance";
import { EventLog, percentile } from "@synod/rival-common/history";

export { percentile };

/** A history being recorded: every event carries the key it reads or writes. */
export class History extends EventLog {
  /** Append one event (`time` defaults to now). */
  add(process, type, f, key, value, time = this.now()) {
    this.record(process, type, f, value, { key }, time);
  }
}

/** The quorum fields the judge reads, for a store with N = 3, R = W = `k`, strict, no read repair. */
export function quorum(k, readRepair = "off") {
  return { n: 3, r: k, w: k, sloppy: false, readRepair };
}

/**
 * What a history shows: latency percentiles (ms) of ok reads and writes, failed or timed-out
 * operations, and the judge's staleness figures.
 */
export function summarize(events) {
  const open = new Map();
  const lat = { read: [], write: [] };
  let failed = 0;
  for (const e of events) {
    if (e.type === "invoke") open.set(e.process, e);
    else {
      const inv = open.get(e.process);
      open.delete(e.process);
      if (e.type === "ok" && inv !== undefined) lat[e.f].push((e.time - inv.time) / 1e6);
      else failed++;
    }
  }
  const rep = stalenessReport(events);
  const stale = rep.reads.filter((r) => !r.fresh);
  return {
    reads: lat.read.length,
    writes: lat.write.length,
    failed,
    read: { p50: percentile(lat.read, 50), p99: percentile(lat.read, 99) },
    write: { p50: percentile(lat.write, 50), p99: percentile(lat.write, 99) },
    stale: stale.length,
    staleShare: rep.reads.length === 0 ? 0 : stale.length / rep.reads.length,
    violation: rep.violation,
    distribution: describeStaleness(rep.reads, rep.clock),
  };
}
