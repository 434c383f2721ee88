/**
 * The consistent-hash ring: every node owns `vnodes` tokens (virtual nodes) on a 32-bit circle; a
 * key lives at the hash of its name and is replicated on the first N distinct nodes met walking
 * clockwise from there (its preference list, Dynamo §4.3). Virtual nodes spread each node's share
 * of the keys over many small ranges, so a failed node's load falls on all the others.
 *
 * @module
 */
import type { NodeId } from "@synod/protocol";
import { hash32 } from "./hash.js";

/** One virtual node: a position on the circle owned by a node. */
export interface Token {
  position: number;
  node: NodeId;
}

/** A ring that does not fit its nodes (a config problem, named). */
export class RingError extends Error {
  override name = "RingError";
}

/** The ring position of `key`. */
export function keyPosition(key: string): number {
  return hash32(`key:${key}`);
}

/** A consistent-hash ring over a fixed membership. */
export class Ring {
  /** Members, in the order given. */
  readonly nodes: readonly NodeId[];
  /** Every token, by position (ties broken by node id, so every node builds the same ring). */
  readonly tokens: readonly Token[];

  /**
   * @param nodes the members (distinct, at least one).
   * @param vnodes tokens per node (at least 1).
   * @throws RingError for an empty or duplicated membership or a bad token count.
   */
  constructor(nodes: readonly NodeId[], vnodes: number) {
    if (nodes.length === 0) throw new RingError("ring: no nodes");
    if (new Set(nodes).size !== nodes.length) throw new RingError(`ring: duplicate node in ${JSON.stringify(nodes)}`);
    if (!Number.isSafeInteger(vnodes) || vnodes < 1 || vnodes > 4096) throw new RingError(`ring: vnodes must be an integer in 1..4096, got ${JSON.stringify(vnodes)}`);
    this.nodes = [...nodes];
    const tokens: Token[] = [];
    for (const node of nodes) for (let v = 0; v < vnodes; v++) tokens.push({ position: hash32(`${node}#${v}`), node });
    tokens.sort((a, b) => a.position - b.position || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
    this.tokens = tokens;
  }

  /** Every node, in the order met walking clockwise from `key`'s position (each once). */
  walk(key: string): NodeId[] {
    const pos = keyPosition(key);
    let lo = 0;
    let hi = this.tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.tokens[mid] as Token).position < pos) lo = mid + 1;
      else hi = mid;
    }
    const out: NodeId[] = [];
    const seen = new Set<NodeId>();
    for (let k = 0; k < this.tokens.length && out.length < this.nodes.length; k++) {
      const t = this.tokens[(lo + k) % this.tokens.length] as Token;
      if (!seen.has(t.node)) {
        seen.add(t.node);
        out.push(t.node);
      }
    }
    return out;
  }

  /**
   * The preference list of `key`: the first `n` distinct nodes clockwise from it.
   * @throws RingError when `n` is not in 1..members.
   */
  preferenceList(key: string, n: number): NodeId[] {
    if (!Number.isSafeInteger(n) || n < 1 || n > this.nodes.length) throw new RingError(`ring: N must be in 1..${this.nodes.length}, got ${JSON.stringify(n)}`);
    return this.walk(key).slice(0, n);
  }
}
