/**
 * The random source of `RandomElement` and the Randomization module during a search. TLC makes
 * the pseudo-random choices of a step depend on the step's first state (Randomization.tla: "the
 * choices made for a particular state will be the same in successive runs of TLC"), so that an
 * error trace can be rebuilt and a state revisited has the same successors. Here the choices are
 * a function of the state's values: a stream seeded by the state's hash, restarted whenever the
 * evaluation moves to another state. Rebuilding a trace, the liveness graph and coverage all
 * evaluate a state's successors in the same order, so they meet the same choices. Simulation
 * passes its own seeded source ({@link EvalContext.random}), which wins.
 *
 * @module
 */
import { seededRandom, type Random } from "../check/rng.js";
import type { Ctx } from "../eval/context.js";
import { hashHi, hashLo, mix32, type Val } from "../values/value.js";

/** The stream of the state an evaluation context last drew from, kept on the context object. */
interface StreamHolder {
  randomState?: readonly (Val | undefined)[];
  randomStream?: Random;
}

/** A 53-bit seed from the values of a (possibly partial) state. */
function stateSeed(s: readonly (Val | undefined)[]): number {
  let a = 0x2545f491 ^ s.length;
  let b = 0x6c8e9cf5;
  for (let i = 0; i < s.length; i++) {
    const v = s[i];
    // A variable without a value yet (Init being enumerated) counts as a fixed marker.
    const lo = v === undefined ? 0x7f4a7c15 : hashLo(v);
    const hi = v === undefined ? 0x1b873593 : hashHi();
    a = mix32(Math.imul(a ^ lo, 0x9e3779b1) + i);
    b = mix32(Math.imul(b ^ hi, 0x85ebca77) + a);
  }
  return (b >>> 0) * 2 ** 21 + ((a >>> 0) & 0x1fffff);
}

/** A uniform number in [0, 1) for a random choice made while evaluating in `c`. */
export function randomIn(c: Ctx): number {
  const given = c.ec.random;
  if (given) return given();
  const holder = c.ec as StreamHolder;
  if (holder.randomState !== c.s || !holder.randomStream) {
    holder.randomState = c.s;
    holder.randomStream = seededRandom(stateSeed(c.s));
  }
  return holder.randomStream();
}

/** A uniformly chosen index below `n` (n > 0). */
export function randomIndexIn(c: Ctx, n: number): number {
  return Math.min(n - 1, Math.floor(randomIn(c) * n));
}
