/**
 * Merkle trees for anti-entropy (Dynamo §4.7): two replicas compare the keys they share level by
 * level, descending only into subtrees whose hashes differ, so replicas that agree exchange one
 * hash and replicas that differ in a few keys exchange a few paths and those keys' siblings.
 *
 * The tree has a fixed shape (fanout {@link FANOUT}, {@link DEPTH} levels below the root) over
 * buckets chosen by key hash, so both sides build the same tree from their own data without
 * agreeing on anything first. Levels are numbered from 0 (the root) to {@link DEPTH} (the leaves).
 *
 * @module
 */
import { hash32 } from "./hash.js";

/** Children per inner node. */
export const FANOUT = 4;
/** Levels below the root: {@link FANOUT} ** DEPTH leaves. */
export const DEPTH = 3;
/** Leaves of the tree (key buckets). */
export const LEAVES = FANOUT ** DEPTH;

/** The leaf (bucket) of `key`. */
export function bucketOf(key: string): number {
  return hash32(`bucket:${key}`) % LEAVES;
}

/** A Merkle tree over `(key, digest)` pairs: `levels[l][i]` is the hash of node `i` at level `l`. */
export class MerkleTree {
  private readonly levels: number[][];

  /** Build the tree of `entries` (each key once; order does not matter). */
  constructor(entries: Iterable<readonly [key: string, digest: string]>) {
    const buckets: string[][] = Array.from({ length: LEAVES }, () => []);
    for (const [key, digest] of entries) (buckets[bucketOf(key)] as string[]).push(`${key}=${digest}`);
    // An empty bucket hashes to 0, so trees of replicas that share nothing compare equal.
    const leaves = buckets.map((b) => (b.length === 0 ? 0 : hash32(b.sort().join("\n"))));
    const levels: number[][] = [leaves];
    while ((levels[0] as number[]).length > 1) {
      const below = levels[0] as number[];
      const above: number[] = [];
      for (let i = 0; i < below.length; i += FANOUT) {
        const kids = below.slice(i, i + FANOUT);
        above.push(kids.every((h) => h === 0) ? 0 : hash32(kids.join(",")));
      }
      levels.unshift(above);
    }
    this.levels = levels;
  }

  /** The hash of node `index` at `level` (0: the root). */
  hash(level: number, index: number): number {
    const row = this.levels[level];
    if (row === undefined || index < 0 || index >= row.length) throw new RangeError(`merkle: no node ${index} at level ${level}`);
    return row[index] as number;
  }

  /** The children of node `index` at `level` (at `level + 1`). */
  static children(index: number): number[] {
    return Array.from({ length: FANOUT }, (_, k) => index * FANOUT + k);
  }
}
