/**
 * States in a compact binary form, for handing batches of them between worker threads.
 *
 * The portable form (`toPortable`: nested plain objects, cloned by `postMessage`, rebuilt with
 * `setOf` / `fcnFromPairs`, which sort again) cost more per state than expanding one on
 * MCLamportMutex, which made sharing work between threads a loss. This form is one byte buffer
 * (transferred, not copied) plus a string table: canonical element order is kept, so sets and
 * functions are rebuilt without sorting; records share their domain arrays (`recordDomain`) and
 * tuples theirs (`seqDom`); and a set or function met twice in a batch (states of one level share
 * most of their values) is written once and referred to after that, so it is also rebuilt once.
 *
 * @module
 */
import { EMPTY, FinSet, recordDomain } from "./sets.js";
import { getModelValue } from "./ops.js";
import { Fcn, LazyFcn, ModelValue, SetValue, ValueError, seqDom, type Val } from "./value.js";
import { formatValue } from "./format.js";

/** A batch of states in wire form. */
export interface WireStates {
  /** The encoded values (see the tags below). */
  bytes: ArrayBuffer;
  /** Strings and model value names, referred to by index. */
  strings: string[];
  /** Number of states, and of variables per state. */
  count: number;
  width: number;
}

const FALSE = 0;
const TRUE = 1;
const INT = 2;
const DOUBLE = 3;
const STRING = 4;
const MODEL = 5;
const SET = 6;
const SEQ = 7;
const RECORD = 8;
const FCN = 9;
const REF = 10;

/** Writes values into a growing buffer. */
class Writer {
  private buf = new Uint8Array(1 << 16);
  private view = new DataView(this.buf.buffer);
  private pos = 0;
  readonly strings: string[] = [];
  private readonly stringIds = new Map<string, number>();
  /** Sets and functions written so far, by identity, with the id the reader gives them. */
  private readonly seen = new Map<object, number>();
  private nextId = 0;
  /** Domain arrays met so far: the id of a shared record domain, -1 for any other array. */
  private readonly domains = new Map<readonly Val[], number>();
  private domainIds = 0;
  /** Record domains below this id have been written out. */
  private nextDomain = 0;

  /** The batch's id for the record domain `dom`, or -1 when `dom` is not the shared array. */
  private recordId(dom: readonly Val[]): number {
    let d = this.domains.get(dom);
    if (d === undefined) {
      d = dom.every((x) => typeof x === "string") && recordDomain(dom as string[]) === dom ? this.domainIds++ : -1;
      this.domains.set(dom, d);
    }
    return d;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  private byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  private u32(n: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, n, true);
    this.pos += 4;
  }

  private string(s: string): void {
    let id = this.stringIds.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(s);
      this.stringIds.set(s, id);
    }
    this.u32(id);
  }

  value(v: Val): void {
    switch (typeof v) {
      case "boolean":
        this.byte(v ? TRUE : FALSE);
        return;
      case "number":
        if ((v | 0) === v && !Object.is(v, -0)) {
          this.byte(INT);
          this.ensure(4);
          this.view.setInt32(this.pos, v, true);
          this.pos += 4;
        } else {
          this.byte(DOUBLE);
          this.ensure(8);
          this.view.setFloat64(this.pos, v, true);
          this.pos += 8;
        }
        return;
      case "string":
        this.byte(STRING);
        this.string(v);
        return;
      default:
        break;
    }
    if (v instanceof ModelValue) {
      this.byte(MODEL);
      this.string(v.name);
      return;
    }
    const obj = v instanceof LazyFcn ? v.force() : v;
    const id = this.seen.get(obj);
    if (id !== undefined) {
      this.byte(REF);
      this.u32(id);
      return;
    }
    if (obj instanceof SetValue) {
      const xs = obj.elems();
      this.byte(SET);
      this.u32(xs.length);
      for (let i = 0; i < xs.length; i++) this.value(xs[i]!);
    } else if (obj instanceof Fcn) {
      const n = obj.dom.length;
      if (obj.isSeq) {
        this.byte(SEQ);
        this.u32(n);
      } else if (n > 0 && typeof obj.dom[0] === "string" && this.recordId(obj.dom) >= 0) {
        // A record whose domain array is the shared one: the domain is written once per batch.
        this.byte(RECORD);
        const d = this.domains.get(obj.dom)!;
        if (d >= this.nextDomain) {
          this.nextDomain = d + 1;
          this.u32(d);
          this.u32(n);
          for (let i = 0; i < n; i++) this.string(obj.dom[i] as string);
        } else this.u32(d);
      } else {
        this.byte(FCN);
        this.u32(n);
        for (let i = 0; i < n; i++) this.value(obj.dom[i]!);
      }
      for (let i = 0; i < n; i++) this.value(obj.rng[i]!);
    } else {
      throw new ValueError(`cannot send ${formatValue(v)} to another thread`);
    }
    // Ids in the order the reader finishes values (children first).
    this.seen.set(obj, this.nextId++);
  }

  finish(): ArrayBuffer {
    return this.buf.buffer.slice(0, this.pos);
  }
}

/** Reads values written by {@link Writer}. */
class Reader {
  private pos = 0;
  private readonly view: DataView;
  private readonly bytes: Uint8Array;
  private readonly objects: Val[] = [];
  private readonly domains: (readonly Val[])[] = [];
  private readonly models: (ModelValue | undefined)[];

  constructor(
    buffer: ArrayBuffer,
    private readonly strings: readonly string[],
  ) {
    this.view = new DataView(buffer);
    this.bytes = new Uint8Array(buffer);
    this.models = new Array(strings.length);
  }

  private u32(): number {
    const n = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return n;
  }

  value(): Val {
    const tag = this.bytes[this.pos++];
    switch (tag) {
      case FALSE:
        return false;
      case TRUE:
        return true;
      case INT: {
        const n = this.view.getInt32(this.pos, true);
        this.pos += 4;
        return n;
      }
      case DOUBLE: {
        const n = this.view.getFloat64(this.pos, true);
        this.pos += 8;
        return n;
      }
      case STRING:
        return this.strings[this.u32()]!;
      case MODEL: {
        const i = this.u32();
        let m = this.models[i];
        if (m === undefined) m = this.models[i] = getModelValue(this.strings[i]!);
        return m;
      }
      case REF:
        return this.objects[this.u32()]!;
      case SET: {
        const n = this.u32();
        const xs = new Array<Val>(n);
        for (let i = 0; i < n; i++) xs[i] = this.value();
        return this.keep(n === 0 ? EMPTY : new FinSet(xs));
      }
      case SEQ: {
        const n = this.u32();
        return this.keep(new Fcn(seqDom(n), this.values(n)));
      }
      case RECORD: {
        const d = this.u32();
        let dom = this.domains[d];
        if (dom === undefined) {
          const n = this.u32();
          const names = new Array<string>(n);
          for (let i = 0; i < n; i++) names[i] = this.strings[this.u32()]!;
          dom = this.domains[d] = recordDomain(names);
        }
        return this.keep(new Fcn(dom, this.values(dom.length)));
      }
      case FCN: {
        const n = this.u32();
        const dom = this.values(n);
        return this.keep(new Fcn(dom, this.values(n)));
      }
      default:
        throw new ValueError(`state batch: unknown tag ${tag} at byte ${this.pos - 1}`);
    }
  }

  private values(n: number): Val[] {
    const xs = new Array<Val>(n);
    for (let i = 0; i < n; i++) xs[i] = this.value();
    return xs;
  }

  private keep(v: Val): Val {
    this.objects.push(v);
    return v;
  }
}

/** Encode states (all of `width` variables) for another thread; transfer `bytes`. */
export function encodeStates(states: readonly (readonly Val[])[], width: number): WireStates {
  const w = new Writer();
  for (const s of states) {
    if (s.length !== width) throw new ValueError(`state batch: a state of ${s.length} variables, expected ${width}`);
    for (let i = 0; i < width; i++) w.value(s[i]!);
  }
  return { bytes: w.finish(), strings: w.strings, count: states.length, width };
}

/** The states of a batch made by {@link encodeStates}, equal value for value. */
export function decodeStates(batch: WireStates): Val[][] {
  const r = new Reader(batch.bytes, batch.strings);
  const out = new Array<Val[]>(batch.count);
  for (let s = 0; s < batch.count; s++) {
    const state = new Array<Val>(batch.width);
    for (let i = 0; i < batch.width; i++) state[i] = r.value();
    out[s] = state;
  }
  return out;
}
