/**
 * Raft's safety properties, checked against every node after every step of a run, plus a
 * reference replay of the committed log that client answers are checked against.
 *
 * Checks are incremental (per node, only what changed since the last look) so that they can run
 * after every single step.
 */
import type { NodeId } from "@synod/protocol";
import { newKvStore } from "@synod/kv";
import type { KvResult, LogEntry, RaftInspect } from "../../src/types.js";

export class SafetyViolation extends Error {
  constructor(property: string, detail: string) {
    super(`${property}: ${detail}`);
    this.name = "SafetyViolation";
  }
}

interface KeyVersion {
  index: number;
  value: string | null;
}

interface NodeCache {
  /** Terms of the entries after the snapshot at the last look, and that snapshot index. */
  snapshotIndex: number;
  terms: number[];
  commitChecked: number;
  lastApplied: number;
  /** Leader completeness checked up to this committed index, for `leaderTerm`. */
  leaderTerm: number;
  leaderChecked: number;
}

interface Committed {
  json: string;
  entry: LogEntry;
  atTerm: number;
}

export class SafetyChecker {
  private readonly leaderOfTerm = new Map<number, NodeId>();
  /** Per (index, term): the entry's JSON and the term before it (log matching, by induction). */
  private readonly seen = new Map<string, { entry: string; prevTerm: number }>();
  /** Committed entries by index, as first reported, with the reporter's term at the time. */
  private readonly committed = new Map<number, Committed>();
  private readonly nodes = new Map<NodeId, NodeCache>();
  /** Reference replay of the contiguous committed prefix. */
  private readonly ref = newKvStore();
  private refApplied = 0;
  private readonly refStateAt = new Map<number, string>([[0, "[]"]]);
  private readonly firstResult = new Map<string, KvResult>();
  private readonly history = new Map<string, KeyVersion[]>();
  /** Per key, the newest version index a completed read has returned (for real-time order). */
  private readonly floors = new Map<string, number>();

  /** Highest index up to which the committed log is known contiguously. */
  get committedIndex(): number {
    return this.refApplied;
  }

  /**
   * Check one node's state; call for every live node after every step. `written(i)` is the entry
   * the node last wrote to storage at index `i` (to see entries a snapshot compacted away before
   * we looked); `kv()` returns its key-value state.
   */
  observe(s: RaftInspect, written: (index: number) => LogEntry | undefined, kv: () => [string, string][]): void {
    let c = this.nodes.get(s.id);
    if (c === undefined) {
      c = { snapshotIndex: 0, terms: [], commitChecked: 0, lastApplied: -1, leaderTerm: -1, leaderChecked: 0 };
      this.nodes.set(s.id, c);
    }
    if (s.role === "leader") {
      const prev = this.leaderOfTerm.get(s.term);
      if (prev !== undefined && prev !== s.id) {
        throw new SafetyViolation("ElectionSafety", `two leaders in term ${s.term}: ${prev} and ${s.id}`);
      }
      this.leaderOfTerm.set(s.term, s.id);
    }
    this.checkLogMatching(s, c);
    this.checkCommitted(s, c, written);
    this.replay();
    if (s.role === "leader") this.checkLeaderCompleteness(s, c);
    if (s.lastApplied !== c.lastApplied) {
      c.lastApplied = s.lastApplied;
      const expected = this.refStateAt.get(s.lastApplied);
      if (expected !== undefined && expected !== JSON.stringify(kv())) {
        throw new SafetyViolation("StateMachineSafety", `${s.id}'s key-value state after index ${s.lastApplied} differs from the committed log's`);
      }
    }
  }

  private termAt(s: RaftInspect, i: number): number {
    return i === s.snapshotIndex ? s.snapshotTerm : (s.log[i - s.snapshotIndex - 1] as LogEntry).term;
  }

  /** Entries with the same index and term are identical and have the same predecessor term. */
  private checkLogMatching(s: RaftInspect, c: NodeCache): void {
    let from = 0;
    if (c.snapshotIndex === s.snapshotIndex) {
      while (from < s.log.length && from < c.terms.length && c.terms[from] === (s.log[from] as LogEntry).term) from++;
    }
    for (let k = from; k < s.log.length; k++) {
      const index = s.snapshotIndex + 1 + k;
      const e = s.log[k] as LogEntry;
      const json = JSON.stringify(e.command);
      const key = `${index}/${e.term}`;
      const prevTerm = this.termAt(s, index - 1);
      const got = this.seen.get(key);
      if (got === undefined) this.seen.set(key, { entry: json, prevTerm });
      else if (got.entry !== json || got.prevTerm !== prevTerm) {
        throw new SafetyViolation("LogMatching", `${s.id} holds a different entry or predecessor at index ${index} term ${e.term}`);
      }
    }
    c.snapshotIndex = s.snapshotIndex;
    c.terms = s.log.map((e) => e.term);
  }

  /** State machine safety: an index is committed with the same entry everywhere. */
  private checkCommitted(s: RaftInspect, c: NodeCache, written: (index: number) => LogEntry | undefined): void {
    c.commitChecked = Math.min(c.commitChecked, s.commitIndex);
    for (let i = c.commitChecked + 1; i <= s.commitIndex; i++) {
      const e = i > s.snapshotIndex ? (s.log[i - s.snapshotIndex - 1] as LogEntry) : written(i);
      if (e === undefined) continue; // arrived inside an installed snapshot: covered by the state check
      const json = JSON.stringify(e);
      const got = this.committed.get(i);
      if (got === undefined) this.committed.set(i, { json, entry: e, atTerm: s.term });
      else if (got.json !== json) {
        throw new SafetyViolation("StateMachineSafety", `${s.id} committed a different entry at index ${i}: ${json} (first seen ${got.json})`);
      }
    }
    c.commitChecked = s.commitIndex;
  }

  /** A leader of term T holds every entry committed in a term <= T (above its snapshot). */
  private checkLeaderCompleteness(s: RaftInspect, c: NodeCache): void {
    if (c.leaderTerm !== s.term) {
      c.leaderTerm = s.term;
      c.leaderChecked = s.snapshotIndex;
    }
    const upTo = Math.max(...this.committed.keys(), 0);
    for (let i = Math.max(c.leaderChecked, s.snapshotIndex) + 1; i <= upTo; i++) {
      const got = this.committed.get(i);
      if (got === undefined || got.atTerm > s.term) continue;
      const mine = s.log[i - s.snapshotIndex - 1];
      if (mine === undefined || JSON.stringify(mine) !== got.json) {
        throw new SafetyViolation("LeaderCompleteness", `leader ${s.id} of term ${s.term} lacks committed entry ${i}`);
      }
    }
    c.leaderChecked = Math.max(c.leaderChecked, upTo);
  }

  private replay(): void {
    for (;;) {
      const index = this.refApplied + 1;
      const got = this.committed.get(index);
      if (got === undefined) return;
      const cmd = got.entry.command;
      if (cmd.type === "kv") {
        const out = this.ref.apply(cmd.clientId, cmd.seq, cmd.command);
        if (out.kind === "applied") {
          this.firstResult.set(`${cmd.clientId}#${cmd.seq}`, out.result);
          if (cmd.command.op !== "get") {
            const v = this.ref.query({ op: "get", key: cmd.command.key });
            const h = this.history.get(cmd.command.key) ?? [];
            h.push({ index, value: "value" in v ? (v.value ?? null) : null });
            this.history.set(cmd.command.key, h);
          }
        }
      }
      this.refApplied = index;
      this.refStateAt.set(index, JSON.stringify(this.ref.machine.entries()));
    }
  }

  /** A write (or log read) answered `result`: it must be the result of its one application. */
  checkLoggedReply(clientId: string, seq: number, result: KvResult): void {
    const want = this.firstResult.get(`${clientId}#${seq}`);
    if (want === undefined) throw new SafetyViolation("KvConsistency", `${clientId}#${seq} answered but not in the committed log`);
    if (JSON.stringify(want) !== JSON.stringify(result)) {
      throw new SafetyViolation("KvConsistency", `${clientId}#${seq} answered ${JSON.stringify(result)}, committed log says ${JSON.stringify(want)}`);
    }
  }

  /** The read floor of `key` now: pass it to {@link checkRead} for a read invoked now. */
  readFloor(key: string): number {
    return this.floors.get(key) ?? 0;
  }

  /**
   * A read of `key` invoked when `invokedAt` entries were committed and the key's read floor was
   * `floorAtInvoke` answered `value`. Linearizability for a register whose writes are all distinct:
   * the value must be the key's version at some index in `[max(invokedAt, floor), committed now]`,
   * where the floor is the newest version an earlier, already completed read returned.
   */
  checkRead(key: string, value: string | null, invokedAt: number, floorAtInvoke: number): void {
    const h = this.history.get(key) ?? [];
    const lo = Math.max(invokedAt, floorAtInvoke);
    // Versions as [from index, value]: the key holds `value` from `from` until the next version.
    let current: KeyVersion = { index: 0, value: null };
    let later: number | null = null;
    for (const x of h) {
      if (x.index > this.refApplied) break;
      if (x.index <= lo) current = x;
      else if (x.value === value && later === null) later = x.index;
    }
    // The earliest version the answer can be (the floor must not over-constrain later reads).
    const match = current.value === value ? current.index : later;
    if (match === null) {
      throw new SafetyViolation(
        "Linearizability",
        `read of ${key} returned ${JSON.stringify(value)}, not a value it had between index ${lo} and ${this.refApplied}`,
      );
    }
    if (value !== null) this.floors.set(key, Math.max(this.floors.get(key) ?? 0, match));
  }
}
