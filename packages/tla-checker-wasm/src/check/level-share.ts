/**
 * Work sharing within one BFS level of the parallel search: a participant that has run out of
 * states takes half of what a busy one has left, so nobody idles at the level barrier while
 * another still works (the level-synchronous search keeps counterexamples shortest).
 *
 * The handshake lives in shared Int32 control words (see {@link Control}); the states themselves
 * travel as portable values over one MessagePort per ordered pair of participants and are read
 * with `receiveMessageOnPort`, so neither side needs its event loop. Per participant `p` the word
 * `want + p` says where it is:
 *
 * - BUSY: expanding its own states;
 * - HUNGRY: out of states, waiting (counted in `idle` and `hungry`);
 * - CLAIMED: a busy participant is packing states for it (it has taken `p` out of `idle`);
 * - DELIVERED + g: participant `g` has posted a batch on the port from `g` to `p`;
 * - DONE: every participant is out of states; the level is over.
 *
 * The participant that makes `idle` reach the number of participants writes DONE everywhere.
 * A giver takes the hungry one out of `idle` when it claims it (before packing), so `idle` never
 * reaches that number while a batch is on its way.
 *
 * @module
 */
import { receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import type { State, ValueOps } from "../model.js";
import { Control } from "./parallel-protocol.js";

/** Values of a participant's `want` word. */
export const Want = {
  busy: 0,
  hungry: 1,
  claimed: 2,
  done: 3,
  /** DELIVERED + g: a batch from participant g waits on the port from g. */
  delivered: 8,
} as const;

/**
 * A batch of states handed from one participant to another, with their table keys: in the value
 * implementation's batch form when it has one (`ValueOps.toPortableStates`), else value by value
 * in the portable form.
 */
export interface Batch {
  packed: unknown | null;
  states: unknown[][] | null;
  keys: number[];
}

/**
 * A participant's states of the current level (consumed from the front, handed away from the
 * back) and of the next one, with their table keys as 32-bit halves.
 */
export class Frontier {
  private states: (State | undefined)[] = [];
  private keys: number[] = [];
  private pos = 0;
  private next: State[] = [];
  private nextKeys: number[] = [];
  /** Key halves of the state last returned by {@link Frontier.shift}. */
  keyLo = 0;
  keyHi = 0;

  /** States of the current level not yet expanded. */
  get remaining(): number {
    return this.states.length - this.pos;
  }

  /** States held for the next level. */
  get nextSize(): number {
    return this.next.length;
  }

  /** Start the next level with the states gathered for it. */
  advance(): void {
    this.states = this.next;
    this.keys = this.nextKeys;
    this.pos = 0;
    this.next = [];
    this.nextKeys = [];
  }

  /** The next state to expand (its key in {@link Frontier.keyLo}/{@link Frontier.keyHi}); the reference is dropped. */
  shift(): State {
    const i = this.pos++;
    const s = this.states[i]!;
    this.states[i] = undefined;
    this.keyLo = this.keys[2 * i]!;
    this.keyHi = this.keys[2 * i + 1]!;
    return s;
  }

  /** Drop the unexpanded states of the current level (the search stopped). */
  clear(): void {
    this.states = [];
    this.keys = [];
    this.pos = 0;
  }

  /** Add a state for the next level. */
  pushNext(state: State, lo: number, hi: number): void {
    this.next.push(state);
    this.nextKeys.push(lo, hi);
  }

  /**
   * Remove the last `count` unexpanded states of the current level (of `width` variables each),
   * in a form to post; `transfer` is what postMessage may move.
   */
  takeTail(count: number, width: number, values: ValueOps): { batch: Batch; transfer: ArrayBuffer[] } {
    const from = this.states.length - count;
    const taken = this.states.splice(from, count) as State[];
    const keys = this.keys.splice(2 * from, 2 * count);
    if (values.toPortableStates) {
      const { batch, transfer } = values.toPortableStates(taken, width);
      return { batch: { packed: batch, states: null, keys }, transfer };
    }
    const states = new Array<unknown[]>(count);
    for (let i = 0; i < count; i++) states[i] = toPortableState(taken[i]!, values);
    return { batch: { packed: null, states, keys }, transfer: [] };
  }

  /** Make a received batch the current level's states (this frontier's own are all expanded). */
  load(batch: Batch, values: ValueOps): void {
    if (batch.packed !== null) {
      if (!values.fromPortableStates) throw new Error("state batch: packed by a value implementation that this thread lacks");
      this.states = values.fromPortableStates(batch.packed);
    } else {
      const portable = batch.states!;
      const states = new Array<State>(portable.length);
      for (let i = 0; i < portable.length; i++) states[i] = fromPortableState(portable[i]!, values);
      this.states = states;
    }
    this.keys = batch.keys;
    this.pos = 0;
  }
}

function toPortableState(s: State, values: ValueOps): unknown[] {
  const out = new Array<unknown>(s.length);
  for (let i = 0; i < s.length; i++) out[i] = values.toPortable(s[i]);
  return out;
}

function fromPortableState(p: unknown[], values: ValueOps): State {
  const out = new Array(p.length);
  for (let i = 0; i < p.length; i++) out[i] = values.fromPortable(p[i]);
  return out as State;
}

/** What {@link LevelShare.poll} found while waiting for work. */
export type Arrival = "wait" | "done" | Batch;

/** Figures of one participant's share of the search, summed over levels. */
export interface ShareStats {
  /** States this participant expanded. */
  expanded: number;
  /** Batches it handed to others, and the states in them. */
  batchesGiven: number;
  statesGiven: number;
  /** Batches it received. */
  batchesTaken: number;
  /** Milliseconds spent packing batches to hand over, and unpacking received ones. */
  packMs: number;
  unpackMs: number;
  /**
   * Milliseconds out of states within levels: from running out until a batch arrived or the
   * level ended (time at the level barrier proper, between levels, is not counted).
   */
  idleMs: number;
}

/** Figures of a participant that has not shared anything yet. */
export function emptyShareStats(): ShareStats {
  return { expanded: 0, batchesGiven: 0, statesGiven: 0, batchesTaken: 0, packMs: 0, unpackMs: 0, idleMs: 0 };
}

/** One participant's end of the work-sharing handshake. */
export class LevelShare {
  /** Running totals, reported with the level's results. */
  readonly stats: ShareStats = emptyShareStats();
  /** When this participant last ran out of states (for {@link ShareStats.idleMs}). */
  private idleSince = 0;

  /**
   * @param control the shared control words (length `Control.want + participants`).
   * @param self this participant's index (0: the coordinator).
   * @param participants how many there are.
   * @param out `out[q]`: the port to participant `q` (undefined at `self`).
   * @param inbox `inbox[g]`: the port from participant `g` (undefined at `self`).
   */
  constructor(
    private readonly control: Int32Array,
    private readonly self: number,
    private readonly participants: number,
    private readonly out: ReadonlyArray<MessagePort | undefined>,
    private readonly inbox: ReadonlyArray<MessagePort | undefined>,
    private readonly values: ValueOps,
    /** Variables per state. */
    private readonly width: number,
  ) {}

  /** Reset every participant's handshake words for a new level (the coordinator, before it starts one). */
  static resetLevel(control: Int32Array, participants: number): void {
    for (let p = 0; p < participants; p++) Atomics.store(control, Control.want + p, Want.busy);
    Atomics.store(control, Control.idle, 0);
    Atomics.store(control, Control.hungry, 0);
  }

  /**
   * Called by a busy participant between two states: if some participant is hungry, hand it half
   * of the states left here (if there are at least two). One atomic read when nobody is.
   */
  offer(frontier: Frontier): void {
    const c = this.control;
    if (Atomics.load(c, Control.hungry) === 0) return;
    for (let q = 0; q < this.participants; q++) {
      const left = frontier.remaining;
      if (left < 2) return;
      if (q === this.self) continue;
      if (Atomics.compareExchange(c, Control.want + q, Want.hungry, Want.claimed) !== Want.hungry) continue;
      Atomics.sub(c, Control.hungry, 1);
      Atomics.sub(c, Control.idle, 1);
      const count = left >> 1;
      const t0 = performance.now();
      const { batch, transfer } = frontier.takeTail(count, this.width, this.values);
      this.out[q]!.postMessage(batch, transfer);
      this.stats.packMs += performance.now() - t0;
      this.stats.batchesGiven++;
      this.stats.statesGiven += count;
      Atomics.store(c, Control.want + q, Want.delivered + this.self);
      Atomics.notify(c, Control.want + q);
      if (Atomics.load(c, Control.hungry) === 0) return;
    }
  }

  /** Make a received batch the current states of `frontier` (whose own are all expanded). */
  load(frontier: Frontier, batch: Batch): void {
    const t0 = performance.now();
    frontier.load(batch, this.values);
    this.stats.unpackMs += performance.now() - t0;
  }

  /** This participant has no states left: say so (and end the level if it is the last). */
  goIdle(): void {
    const c = this.control;
    this.idleSince = performance.now();
    Atomics.store(c, Control.want + this.self, Want.hungry);
    Atomics.add(c, Control.hungry, 1);
    if (Atomics.add(c, Control.idle, 1) + 1 === this.participants) {
      for (let p = 0; p < this.participants; p++) {
        Atomics.store(c, Control.want + p, Want.done);
        Atomics.notify(c, Control.want + p);
      }
    }
  }

  /** The value to wait on while {@link LevelShare.poll} says "wait". */
  get waitWord(): number {
    return Control.want + this.self;
  }

  /** After {@link LevelShare.goIdle}: a batch that arrived, "done" when the level is over, or "wait". */
  poll(): Arrival {
    const c = this.control;
    const w = Atomics.load(c, Control.want + this.self);
    if (w === Want.done) {
      this.stats.idleMs += performance.now() - this.idleSince;
      return "done";
    }
    if (w < Want.delivered) return "wait";
    const port = this.inbox[w - Want.delivered]!;
    // The giver posted before it wrote DELIVERED; the message may still be a moment from the port.
    let got = receiveMessageOnPort(port) as { message: Batch } | undefined;
    while (got === undefined) {
      Atomics.wait(c, Control.sleep, 0, 1);
      got = receiveMessageOnPort(port) as { message: Batch } | undefined;
    }
    Atomics.store(c, Control.want + this.self, Want.busy);
    this.stats.batchesTaken++;
    this.stats.idleMs += performance.now() - this.idleSince;
    return got.message;
  }

  /** Block (worker threads only) until {@link LevelShare.poll} has news: a batch or "done". */
  waitForWork(): Batch | "done" {
    const c = this.control;
    for (;;) {
      const a = this.poll();
      if (a !== "wait") return a;
      const w = Atomics.load(c, Control.want + this.self);
      if (w === Want.hungry || w === Want.claimed) Atomics.wait(c, Control.want + this.self, w);
    }
  }
}
