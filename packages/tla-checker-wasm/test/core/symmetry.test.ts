// Keys of states under SYMMETRY (src/values/symmetry.ts): equal on an orbit, different across
// orbits, and unaffected by the hashes a value keeps for another group. Randomized cases print
// their seed; replay with SEED=<n>.
import { describe, expect, it } from "vitest";
import { symmetryGroup } from "../../src/check/canonical.js";
import { formatValue } from "../../src/values/format.js";
import { fingerprintState, getModelValue, permute, valueOps } from "../../src/values/ops.js";
import { fcnFromPairs, setOf } from "../../src/values/sets.js";
import { SymmetricKeys, type Permutation } from "../../src/values/symmetry.js";
import { tuple, type Val } from "../../src/values/value.js";
import { seededRandom as rng } from "../../src/check/rng.js";

const SEED = process.env.SEED ? Number(process.env.SEED) : Date.now() % 1_000_000;


const [s1, s2, s3] = ["sy1", "sy2", "sy3"].map(getModelValue);
const servers = [s1!, s2!, s3!];
const group = (...sets: Val[][]): Permutation[] =>
  symmetryGroup(
    sets.map((xs) => xs.map((x, i) => [x, xs[(i + 1) % xs.length]] as [Val, Val])).concat(sets.map((xs) => (xs.length > 1 ? [[xs[0], xs[1]], [xs[1], xs[0]]] as [Val, Val][] : []))),
    valueOps,
  );

function keyOf(keys: SymmetricKeys, state: Val[]): string {
  const out = new Uint32Array(2);
  keys.stateInto(state, out);
  return `${out[1]}:${out[0]}`;
}

/** A random value over the servers, records, sequences, sets and numbers, built fresh each time. */
function randomValue(r: () => number, depth: number): Val {
  const pick = Math.floor(r() * (depth > 0 ? 7 : 3));
  const n = Math.floor(r() * 4);
  switch (pick) {
    case 0:
      return Math.floor(r() * 3);
    case 1:
      return servers[Math.floor(r() * 3)]!;
    case 2:
      return ["a", "b"][Math.floor(r() * 2)]!;
    case 3:
      return setOf(Array.from({ length: n }, () => randomValue(r, depth - 1)));
    case 4:
      return tuple(Array.from({ length: n }, () => randomValue(r, depth - 1)));
    case 5:
      return fcnFromPairs(servers.slice(), servers.map(() => randomValue(r, depth - 1)));
    default:
      return fcnFromPairs(["mdest", "msource", "mterm"], [servers[Math.floor(r() * 3)]!, servers[Math.floor(r() * 3)]!, randomValue(r, depth - 1)]);
  }
}

describe(`symmetric state keys (SEED=${SEED})`, () => {
  const perms = group(servers);

  it("closes the cfg's permutations of three servers into the six of the group", () => {
    expect(perms.length + 1).toBe(6);
  });

  it("gives every permutation of a state the key of the state itself", () => {
    const r = rng(SEED);
    const keys = new SymmetricKeys(perms);
    for (let i = 0; i < 300; i++) {
      const state = [randomValue(r, 3), randomValue(r, 3), randomValue(r, 2)];
      const key = keyOf(keys, state);
      for (const perm of perms) {
        const image = state.map((v) => permute(v, perm));
        expect(keyOf(keys, image), `SEED=${SEED} ${state.map(formatValue).join(" ")}`).toBe(key);
        // The image built afresh (no cached hashes on its values) agrees with a fresh key object too.
        expect(keyOf(new SymmetricKeys(perms), image)).toBe(key);
      }
    }
  });

  it("separates orbits: as many keys as orbits over all functions from three servers to {s1, s2, s3, 0}", () => {
    // Orbits counted the slow, obviously right way: the smallest plain fingerprint over the group.
    const keys = new SymmetricKeys(perms);
    const range: Val[] = [...servers, 0];
    const orbitKeys = new Set<string>();
    const orbits = new Set<bigint>();
    for (let code = 0; code < 4 ** 3; code++) {
      const f = fcnFromPairs(servers.slice(), [range[code % 4]!, range[Math.floor(code / 4) % 4]!, range[Math.floor(code / 16)]!]);
      const state = [f, setOf([f.rng[0]!])];
      orbitKeys.add(keyOf(keys, state));
      let best = fingerprintState(state);
      for (const perm of perms) {
        const fp = fingerprintState(state.map((v) => permute(v, perm)));
        if (fp < best) best = fp;
      }
      orbits.add(best);
    }
    expect(orbits.size).toBeGreaterThan(10);
    expect(orbitKeys.size).toBe(orbits.size);
  });

  it("does not confuse a key pair with its swap, nor a function with its set of pairs", () => {
    const keys = new SymmetricKeys([]);
    const a = fcnFromPairs([s1!], [s2!]);
    const b = fcnFromPairs([s2!], [s1!]);
    expect(keyOf(keys, [a])).not.toBe(keyOf(keys, [b]));
    expect(keyOf(keys, [tuple([s1!, s2!])])).not.toBe(keyOf(keys, [tuple([s2!, s1!])]));
  });

  it("keeps the hashes cached for one group apart from another group's", () => {
    const r = rng(SEED + 1);
    const small = new SymmetricKeys(group([s1!, s2!]));
    const large = new SymmetricKeys(perms);
    for (let i = 0; i < 100; i++) {
      const state = [randomValue(r, 3), randomValue(r, 2)];
      const fresh = state.map((v) => permute(v, [])); // equal values, no cached hashes
      // Query the small group first: the large group's keys must not reuse its cache.
      keyOf(small, state);
      expect(keyOf(large, state), `SEED=${SEED}`).toBe(keyOf(new SymmetricKeys(perms), fresh));
      expect(keyOf(small, state)).toBe(keyOf(new SymmetricKeys(group([s1!, s2!])), fresh));
    }
  });
});
