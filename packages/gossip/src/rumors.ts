/**
 * Rumor mongering's hot list (Demers et al., "Epidemic algorithms for replicated database
 * maintenance", 1987) with the feedback / counter stop rule: a node keeps pushing an update it
 * holds hot; each time a peer answers that it already knew it, the update's counter grows, and at
 * `stopAfter` the node loses interest and the rumor goes cold. The list is bounded: beyond
 * `maxHot` the oldest rumor goes cold early (anti-entropy delivers whatever rumors miss).
 *
 * @module
 */
import type { Delta } from "./messages.js";
import type { Dot } from "./payload.js";

/** `origin/seq@key`: a rumor's identity. */
export function dotKey(key: string, dot: Dot): string {
  return `${dot.origin}/${dot.seq}@${key}`;
}

/** The hot rumors of one node. */
export class HotRumors {
  private readonly hot = new Map<string, { delta: Delta; known: number }>();
  private readonly stopAfter: number;
  private readonly maxHot: number;
  /** Rumors that went cold by the stop rule, and early by the bound. */
  stoppedByFeedback = 0;
  evicted = 0;

  constructor(stopAfter: number, maxHot: number) {
    this.stopAfter = stopAfter;
    this.maxHot = maxHot;
  }

  /** Start spreading `d` (a local update, or one just learnt). */
  add(d: Delta): void {
    const k = dotKey(d.key, d.dot);
    if (this.hot.has(k)) return;
    this.hot.set(k, { delta: d, known: 0 });
    if (this.hot.size > this.maxHot) {
      const oldest = this.hot.keys().next().value as string;
      this.hot.delete(oldest);
      this.evicted++;
    }
  }

  /** Up to `max` hot rumors, oldest first. */
  take(max: number): Delta[] {
    const out: Delta[] = [];
    for (const { delta } of this.hot.values()) {
      if (out.length >= max) break;
      out.push(delta);
    }
    return out;
  }

  /** A peer already knew `dot` of `key`: count it, and stop the rumor at the limit. */
  knownBy(key: string, dot: Dot): void {
    const k = dotKey(key, dot);
    const r = this.hot.get(k);
    if (r === undefined) return;
    r.known++;
    if (r.known >= this.stopAfter) {
      this.hot.delete(k);
      this.stoppedByFeedback++;
    }
  }

  /** Rumors still hot. */
  get size(): number {
    return this.hot.size;
  }

  /** Forget everything (a restart: the hot list is volatile). */
  clear(): void {
    this.hot.clear();
  }
}
