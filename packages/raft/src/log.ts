/**
 * The replicated log in memory: a snapshot base (index and term of the last compacted entry)
 * followed by the entries after it.
 *
 * etcd/raft splits its log into a durable part and an unstable tail waiting to be persisted. Synod's
 * step/ready contract makes the host persist every write of a ready before the next `step`, so the
 * tail is always exactly the writes of the ready being built; this class holds the node's view and
 * `storage.ts` turns each change into durable writes.
 *
 * @module
 */
import type { LogEntry } from "./types.js";

/** The log as a node sees it. Indexes start at 1; index 0 is the empty log with term 0. */
export class RaftLog {
  /** Index and term of the last entry folded into the snapshot. */
  snapshotIndex: number;
  snapshotTerm: number;
  private entries: LogEntry[];

  constructor(snapshotIndex = 0, snapshotTerm = 0, entries: LogEntry[] = []) {
    this.snapshotIndex = snapshotIndex;
    this.snapshotTerm = snapshotTerm;
    this.entries = entries.map(deepFreeze);
  }

  get firstIndex(): number {
    return this.snapshotIndex + 1;
  }

  get lastIndex(): number {
    return this.snapshotIndex + this.entries.length;
  }

  get lastTerm(): number {
    return this.termAt(this.lastIndex) as number;
  }

  /** The term of the entry at `index`, or `undefined` if it was compacted away or is beyond the end. */
  termAt(index: number): number | undefined {
    if (index === this.snapshotIndex) return this.snapshotTerm;
    if (index < this.snapshotIndex || index > this.lastIndex) return undefined;
    return (this.entries[index - this.snapshotIndex - 1] as LogEntry).term;
  }

  /** The entry at `index` (must be in `[firstIndex, lastIndex]`). */
  entry(index: number): LogEntry {
    const e = this.entries[index - this.snapshotIndex - 1];
    if (e === undefined || index <= this.snapshotIndex) throw new Error(`raft log: no entry at index ${index}`);
    return e;
  }

  /** Entries `[from, to]`, inclusive, clamped to what is held. */
  slice(from: number, to: number): LogEntry[] {
    const lo = Math.max(from, this.firstIndex) - this.snapshotIndex - 1;
    const hi = Math.min(to, this.lastIndex) - this.snapshotIndex;
    return lo < hi ? this.entries.slice(lo, hi) : [];
  }

  /** All entries after the snapshot (a copy). */
  all(): LogEntry[] {
    return this.entries.slice();
  }

  /** Append `e` (deep-frozen, so that callers sharing it cannot change the log). */
  append(e: LogEntry): number {
    this.entries.push(deepFreeze(e));
    return this.lastIndex;
  }

  /** Drop every entry from `index` on (`index > snapshotIndex`). */
  truncateFrom(index: number): void {
    if (index <= this.snapshotIndex) throw new Error(`raft log: cannot truncate at ${index}, snapshot covers ${this.snapshotIndex}`);
    this.entries.length = Math.max(0, index - this.snapshotIndex - 1);
  }

  /**
   * Fold everything up to `index` (with term `term`) into a snapshot base. Entries after `index` are
   * kept when the log holds `index` with that term, dropped otherwise.
   */
  compactTo(index: number, term: number): void {
    if (index <= this.snapshotIndex) return;
    if (this.termAt(index) === term) {
      this.entries = this.entries.slice(index - this.snapshotIndex);
    } else {
      this.entries = [];
    }
    this.snapshotIndex = index;
    this.snapshotTerm = term;
  }

  /** Raft's up-to-date rule: is a log ending at (`lastIndex`, `lastTerm`) at least as up to date as ours? */
  isUpToDate(lastIndex: number, lastTerm: number): boolean {
    return lastTerm > this.lastTerm || (lastTerm === this.lastTerm && lastIndex >= this.lastIndex);
  }

  /** The first index held with term `term`, scanning back from `index` (for the conflict hint). */
  firstIndexOfTermAt(index: number): number {
    const term = this.termAt(index);
    let i = index;
    while (i - 1 > this.snapshotIndex && this.termAt(i - 1) === term) i--;
    return i;
  }

  /** The last index with term `term`, or `null` if the log holds no entry of that term. */
  lastIndexOfTerm(term: number): number | null {
    for (let i = this.lastIndex; i > this.snapshotIndex; i--) {
      const t = this.termAt(i) as number;
      if (t === term) return i;
      if (t < term) return null;
    }
    return null;
  }
}

function deepFreeze<T>(x: T): T {
  if (typeof x === "object" && x !== null && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const v of Object.values(x)) deepFreeze(v);
  }
  return x;
}
