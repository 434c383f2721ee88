/**
 * A Merkle tree over the replicated map, for anti-entropy (as Dynamo and Cassandra repair
 * replicas): keys fall into `branching^depth` leaf ranges by the hash of the key; a leaf's hash
 * covers the keys in its range and their version vectors, an inner node's hash its children's.
 * Two replicas compare roots, descend only into children whose hashes differ, and ship the keys
 * of differing leaves only.
 *
 * Hashes are recomputed lazily: a change marks its leaf dirty, and the next read of a hash on its
 * path recomputes the leaf and its ancestors.
 *
 * @module
 */
import { hash32, hash64 } from "./hash.js";

/** The hash of an empty range (so two empty ranges compare equal without hashing). */
export const EMPTY_HASH = "0";

/** A node of the tree: its level (0 is the root) and index within the level. */
export interface TreeNode {
  level: number;
  index: number;
}

/** The shape of a tree. */
export interface MerkleShape {
  /** Children per inner node (2..256). */
  branching: number;
  /** Levels below the root (1..8); there are `branching^depth` leaves. */
  depth: number;
}

/** A Merkle tree of key → content digest. */
export class MerkleTree {
  readonly shape: MerkleShape;
  /** Leaves at the bottom level. */
  readonly leafCount: number;
  private readonly levels: string[][];
  /** Per leaf: key → digest of its content. */
  private readonly leaves: Map<string, string>[];
  private readonly dirty = new Set<number>();

  constructor(shape: MerkleShape) {
    this.shape = shape;
    this.leafCount = shape.branching ** shape.depth;
    this.levels = [];
    for (let l = 0; l <= shape.depth; l++) this.levels.push(new Array<string>(shape.branching ** l).fill(EMPTY_HASH));
    this.leaves = Array.from({ length: this.leafCount }, () => new Map<string, string>());
  }

  /** The leaf whose range holds `key`. */
  leafOf(key: string): number {
    return hash32(key) % this.leafCount;
  }

  /** Record `key`'s content digest (`null`: the key is gone). */
  set(key: string, digest: string | null): void {
    const leaf = this.leafOf(key);
    const m = this.leaves[leaf] as Map<string, string>;
    if (digest === null) m.delete(key);
    else m.set(key, digest);
    this.dirty.add(leaf);
  }

  /** The keys in leaf `leaf`'s range. */
  keysOf(leaf: number): string[] {
    return [...(this.leaves[leaf] as Map<string, string>).keys()];
  }

  /** The hash of `node` (after recomputing what changed). */
  hash(node: TreeNode): string {
    this.refresh();
    const level = this.levels[node.level];
    if (level === undefined || node.index < 0 || node.index >= level.length) throw new RangeError(`no tree node at level ${node.level}, index ${node.index}`);
    return level[node.index] as string;
  }

  /** The root hash. */
  root(): string {
    return this.hash({ level: 0, index: 0 });
  }

  /** The children of an inner node. */
  children(node: TreeNode): TreeNode[] {
    if (node.level >= this.shape.depth) return [];
    const b = this.shape.branching;
    return Array.from({ length: b }, (_, k) => ({ level: node.level + 1, index: node.index * b + k }));
  }

  /** The leaves under `node`. */
  leavesUnder(node: TreeNode): number[] {
    const span = this.shape.branching ** (this.shape.depth - node.level);
    return Array.from({ length: span }, (_, k) => node.index * span + k);
  }

  /** Whether `node` exists in this tree's shape. */
  has(node: TreeNode): boolean {
    return Number.isSafeInteger(node.level) && node.level >= 0 && node.level <= this.shape.depth && Number.isSafeInteger(node.index) && node.index >= 0 && node.index < this.shape.branching ** node.level;
  }

  private refresh(): void {
    if (this.dirty.size === 0) return;
    const depth = this.shape.depth;
    const b = this.shape.branching;
    let touched = new Set<number>();
    const bottom = this.levels[depth] as string[];
    for (const leaf of this.dirty) {
      const m = this.leaves[leaf] as Map<string, string>;
      bottom[leaf] = m.size === 0 ? EMPTY_HASH : hash64([...m.entries()].sort((x, y) => (x[0] < y[0] ? -1 : 1)).map(([k, d]) => `${k}\u0000${d}`).join("\u0001"));
      touched.add(Math.floor(leaf / b));
    }
    this.dirty.clear();
    for (let l = depth - 1; l >= 0; l--) {
      const level = this.levels[l] as string[];
      const below = this.levels[l + 1] as string[];
      const next = new Set<number>();
      for (const i of touched) {
        const kids = below.slice(i * b, i * b + b);
        level[i] = kids.every((h) => h === EMPTY_HASH) ? EMPTY_HASH : hash64(kids.join("."));
        next.add(Math.floor(i / b));
      }
      touched = next;
    }
  }
}
