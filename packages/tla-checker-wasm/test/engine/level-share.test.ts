// The work-sharing handshake of the parallel search (level-share.ts), driven step by step from
// one thread: every participant's view is a LevelShare on the same control words and ports.
import { MessageChannel, type MessagePort } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import { Frontier, LevelShare, Want } from "../../src/check/level-share.js";
import { Control } from "../../src/check/parallel-protocol.js";
import type { State, ValueOps } from "../../src/model.js";

// Numbers are their own portable form; enough for the handshake.
const values = { toPortable: (v: unknown) => v, fromPortable: (p: unknown) => p } as unknown as ValueOps;

const open: MessagePort[] = [];
afterEach(() => {
  for (const p of open.splice(0)) p.close();
});

/** `n` participants sharing one set of control words, with a port per ordered pair. */
function group(n: number): { control: Int32Array; shares: LevelShare[] } {
  const control = new Int32Array(new SharedArrayBuffer((Control.want + n) * 4));
  const out: (MessagePort | undefined)[][] = Array.from({ length: n }, () => new Array(n).fill(undefined));
  const inbox: (MessagePort | undefined)[][] = Array.from({ length: n }, () => new Array(n).fill(undefined));
  for (let g = 0; g < n; g++) {
    for (let q = 0; q < n; q++) {
      if (g === q) continue;
      const ch = new MessageChannel();
      open.push(ch.port1, ch.port2);
      out[g]![q] = ch.port1;
      inbox[q]![g] = ch.port2;
    }
  }
  LevelShare.resetLevel(control, n);
  return { control, shares: out.map((o, p) => new LevelShare(control, p, n, o, inbox[p]!, values, 1)) };
}

/** A frontier whose current level holds the states [k] for k in `ks`, keys (k, -k). */
function frontierOf(ks: number[]): Frontier {
  const f = new Frontier();
  for (const k of ks) f.pushNext([k] as unknown as State, k, -k);
  f.advance();
  return f;
}

describe("work sharing within a level", () => {
  it("a hungry participant gets the back half of a busy one's states, with their keys", () => {
    const { control, shares } = group(2);
    const busy = frontierOf([1, 2, 3, 4, 5]);
    busy.shift(); // state 1 is being expanded
    shares[1]!.goIdle();
    expect(shares[1]!.poll()).toBe("wait");
    expect(Atomics.load(control, Control.idle)).toBe(1);
    shares[0]!.offer(busy);
    // Claiming took the hungry one out of the idle count before the batch was packed.
    expect(Atomics.load(control, Control.idle)).toBe(0);
    expect(Atomics.load(control, Control.hungry)).toBe(0);
    expect(busy.remaining).toBe(2);
    const got = shares[1]!.poll();
    expect(got).toEqual({ packed: null, states: [[4], [5]], keys: [4, -4, 5, -5] });
    const taken = new Frontier();
    taken.load(got as Exclude<typeof got, string>, values);
    expect([taken.shift(), taken.keyLo, taken.keyHi]).toEqual([[4], 4, -4]);
    expect(shares[1]!.stats).toMatchObject({ batchesTaken: 1 });
    expect(shares[0]!.stats).toMatchObject({ batchesGiven: 1, statesGiven: 2 });
    // What is left stays in order at the front.
    expect(busy.shift()).toEqual([2]);
    expect(busy.shift()).toEqual([3]);
  });

  it("nobody gives its last state, and nothing is offered while nobody is hungry", () => {
    const { shares } = group(2);
    const one = frontierOf([7]);
    shares[0]!.offer(one);
    expect(one.remaining).toBe(1);
    shares[1]!.goIdle();
    shares[0]!.offer(one);
    expect(one.remaining).toBe(1);
    expect(shares[1]!.poll()).toBe("wait");
  });

  it("the level ends when the last participant runs out, not while a batch is on its way", () => {
    const { control, shares } = group(3);
    const f0 = frontierOf([1, 2, 3, 4]);
    shares[1]!.goIdle();
    shares[2]!.goIdle();
    shares[0]!.offer(f0);
    // Both hungry ones were served: half of 4 to the first, half of the 2 left to the second.
    const to1 = shares[1]!.poll();
    const to2 = shares[2]!.poll();
    expect(to1).toEqual({ packed: null, states: [[3], [4]], keys: [3, -3, 4, -4] });
    expect(to2).toEqual({ packed: null, states: [[2]], keys: [2, -2] });
    expect(f0.remaining).toBe(1);
    expect(Atomics.load(control, Control.idle)).toBe(0);
    shares[1]!.goIdle();
    shares[0]!.goIdle();
    expect(shares[0]!.poll()).toBe("wait");
    expect(shares[1]!.poll()).toBe("wait");
    shares[2]!.goIdle();
    for (const s of shares) expect(s.poll()).toBe("done");
    LevelShare.resetLevel(control, 3);
    for (let p = 0; p < 3; p++) expect(Atomics.load(control, Control.want + p)).toBe(Want.busy);
  });

  it("a single participant ends the level as soon as it is out of states", () => {
    const { shares } = group(1);
    shares[0]!.goIdle();
    expect(shares[0]!.poll()).toBe("done");
  });
});
