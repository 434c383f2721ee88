/**
 * The simulator's agenda: a binary min-heap keyed by (virtual time in µs, insertion sequence).
 * The sequence number makes ties deterministic: events due at the same instant run in the order
 * they were scheduled. Keys live in typed arrays beside the items so comparisons never touch the
 * (differently shaped) items themselves.
 *
 * @module
 */

/** A min-heap of items ordered by due time, then by scheduling order. */
export class EventQueue<T> {
  private times: Float64Array;
  private seqs: Float64Array;
  private items: (T | undefined)[];
  private count = 0;
  private nextSeq = 0;

  /** @param initialCapacity slots to allocate up front (the heap doubles when full). */
  constructor(initialCapacity = 1024) {
    const capacity = Math.max(16, initialCapacity);
    this.times = new Float64Array(capacity);
    this.seqs = new Float64Array(capacity);
    this.items = new Array<T | undefined>(capacity);
  }

  /** How many items are queued. */
  get size(): number {
    return this.count;
  }

  /** Due time (µs) of the next item, or `Infinity` when empty. */
  peekTimeUs(): number {
    return this.count === 0 ? Infinity : (this.times[0] as number);
  }

  /** Queue `item` to be due at `timeUs`. */
  push(timeUs: number, item: T): void {
    if (this.count === this.times.length) this.grow();
    const seq = this.nextSeq++;
    let i = this.count++;
    const times = this.times;
    const seqs = this.seqs;
    const items = this.items;
    // Sift up: move parents down until the slot for the new key is found.
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent] as number;
      if (pt < timeUs || (pt === timeUs && (seqs[parent] as number) < seq)) break;
      times[i] = pt;
      seqs[i] = seqs[parent] as number;
      items[i] = items[parent];
      i = parent;
    }
    times[i] = timeUs;
    seqs[i] = seq;
    items[i] = item;
  }

  /** Visit every queued item with its due time, in heap order (not due order). */
  forEach(visit: (item: T, timeUs: number, seq: number) => void): void {
    for (let i = 0; i < this.count; i++) visit(this.items[i] as T, this.times[i] as number, this.seqs[i] as number);
  }

  /** Remove and return the next item. Call only when `size > 0`. */
  pop(): T {
    const times = this.times;
    const seqs = this.seqs;
    const items = this.items;
    const top = items[0] as T;
    const last = --this.count;
    const t = times[last] as number;
    const s = seqs[last] as number;
    const it = items[last];
    items[last] = undefined;
    if (last === 0) return top;
    // Sift down the former last element from the root.
    let i = 0;
    const half = last >> 1;
    while (i < half) {
      let child = 2 * i + 1;
      let ct = times[child] as number;
      let cs = seqs[child] as number;
      const right = child + 1;
      if (right < last) {
        const rt = times[right] as number;
        const rs = seqs[right] as number;
        if (rt < ct || (rt === ct && rs < cs)) {
          child = right;
          ct = rt;
          cs = rs;
        }
      }
      if (t < ct || (t === ct && s < cs)) break;
      times[i] = ct;
      seqs[i] = cs;
      items[i] = items[child];
      i = child;
    }
    times[i] = t;
    seqs[i] = s;
    items[i] = it;
    return top;
  }

  private grow(): void {
    const capacity = this.times.length * 2;
    const times = new Float64Array(capacity);
    times.set(this.times);
    const seqs = new Float64Array(capacity);
    seqs.set(this.seqs);
    this.times = times;
    this.seqs = seqs;
    this.items.length = capacity;
  }
}
