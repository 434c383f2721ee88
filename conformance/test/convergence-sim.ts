/**
 * A small replicated-CRDT simulation for the convergence judge's tests: replicas apply updates
 * and push whole states to random peers (a message may be lost, duplicated or delivered late),
 * then the network heals and every replica pulls from every other; the client history is written
 * in the judge's vocabulary, with each replica's version vector kept honestly beside its state.
 */
import { vvGet, vvMerge, vvToJson, type AnyCrdt, type Json, type VersionVector } from "@synod/crdt";
import { SeededRng } from "@synod/protocol";
import type { HistoryEvent } from "../src/index.js";

/** A seeded generator of floats in [0, 1): a stream of @synod/protocol's SeededRng. */
export function rng(seed: number): () => number {
  const r = SeededRng.derive(seed, "convergence-sim");
  return () => r.nextFloat();
}

/** A random operation of `crdt` valid at `state` (JSON, `parseOp` form). */
export function randomOp(crdt: AnyCrdt, state: unknown, r: () => number, nowMs: number): Json {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const elem = pick(["a", "b", "c"]);
  switch (crdt.name) {
    case "g-counter":
      return { type: "inc", by: 1 + Math.floor(r() * 3) };
    case "pn-counter":
      return { type: pick(["inc", "dec"]), by: 1 + Math.floor(r() * 3) };
    case "g-set":
      return { type: "add", elem };
    case "2p-set": {
      const held = [...(crdt.value(state) as ReadonlySet<string>)];
      return held.length > 0 && r() < 0.4 ? { type: "remove", elem: pick(held) } : { type: "add", elem };
    }
    case "or-set":
      return { type: r() < 0.55 ? "add" : "remove", elem };
    case "lww-register":
      return { type: "set", value: Math.floor(r() * 10), nowMs };
    case "mv-register":
      return { type: "set", value: Math.floor(r() * 10) };
    case "lww-map":
      return r() < 0.7 ? { type: "set", key: elem, value: Math.floor(r() * 10), nowMs } : { type: "delete", key: elem, nowMs };
    default:
      throw new Error(`no operations for ${crdt.name}`);
  }
}

interface Replica {
  state: unknown;
  vv: VersionVector;
  seq: number;
}

/**
 * A run of `steps` random steps on `n` replicas of `crdt` (key "k"), then a heal and final reads.
 * `skew`: physical clocks differ by up to this many ms.
 */
export function simulate(crdt: AnyCrdt, seed: number, opts: { n?: number; steps?: number; heal?: boolean; lostReplies?: boolean } = {}): HistoryEvent[] {
  const r = rng(seed);
  const n = opts.n ?? 3;
  const names = Array.from({ length: n }, (_, i) => `n${i + 1}`);
  const reps: Replica[] = names.map(() => ({ state: crdt.bottom(), vv: new Map(), seq: 0 }));
  const inFlight: { to: number; state: unknown; vv: VersionVector }[] = [];
  const h: HistoryEvent[] = [];
  let t = 0;
  const ev = (process: string, type: string, f: string, value: unknown): void => {
    h.push({ process, type, f, value, key: "k", timeNs: ++t } as unknown as HistoryEvent);
  };
  const read = (i: number, f: string): void => {
    const rep = reps[i]!;
    ev(`c${i}`, "invoke", f, null);
    ev(`c${i}`, "ok", f, { node: names[i], value: crdt.valueToJson(crdt.value(rep.state)), vv: vvToJson(rep.vv) });
  };
  const deliver = (m: { to: number; state: unknown; vv: VersionVector }): void => {
    const rep = reps[m.to]!;
    rep.state = crdt.merge(rep.state, m.state);
    rep.vv = vvMerge(rep.vv, m.vv);
  };
  for (let s = 0; s < (opts.steps ?? 30); s++) {
    const i = Math.floor(r() * n);
    const rep = reps[i]!;
    const x = r();
    if (x < 0.4) {
      const op = randomOp(crdt, rep.state, r, s * 10 + Math.floor(r() * 30));
      ev(`c${i}`, "invoke", "update", op);
      const m = crdt.mutate(rep.state, names[i]!, crdt.parseOp(op));
      const deps = rep.vv;
      rep.seq++;
      rep.state = m.state;
      rep.vv = vvMerge(rep.vv, new Map([[names[i]!, rep.seq]]));
      if (opts.lostReplies === true && r() < 0.3) ev(`c${i}`, "info", "update", { node: names[i], op });
      else ev(`c${i}`, "ok", "update", { node: names[i], id: `${names[i]}:${rep.seq}`, seq: rep.seq, applied: crdt.appliedToJson(m.applied), deps: vvToJson(deps) });
    } else if (x < 0.65) {
      const to = Math.floor(r() * n);
      if (to !== i && r() > 0.2) inFlight.push({ to, state: rep.state, vv: rep.vv }); // else lost
    } else if (x < 0.85 && inFlight.length > 0) {
      const k = Math.floor(r() * inFlight.length);
      const m = inFlight[k]!;
      if (r() < 0.8) inFlight.splice(k, 1); // else duplicated: delivered again later
      deliver(m);
    } else {
      read(i, "read");
    }
  }
  if (opts.heal ?? true) {
    for (let round = 0; round < 2; round++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) deliver({ to: j, state: reps[i]!.state, vv: reps[i]!.vv });
    for (let i = 0; i < n; i++) read(i, "final-read");
  }
  return h;
}

/** How many of `node`'s updates the replica holds (for hand-made checks). */
export const seen = (vv: VersionVector, node: string): number => vvGet(vv, node);
