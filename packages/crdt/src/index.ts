/**
 * `@synod/crdt`: state-based CRDTs with delta mutators, each a record of pure functions
 * ({@link StateCrdt}) over immutable states: merge is a join, a mutation returns the new state
 * and a delta to ship, `toJson` is canonical (equal states, equal bytes: Merkle-hashable) and
 * `parts` cuts a state into keyed pieces for anti-entropy.
 *
 * @example
 * ```ts
 * import { orSet, encodeState } from "@synod/crdt";
 * const a = orSet.mutate(orSet.bottom(), "n1", { type: "add", elem: "x" });
 * const b = orSet.merge(orSet.bottom(), a.delta);     // ship the delta
 * orSet.value(b);                                      // Set { "x" }
 * encodeState(orSet, b) === encodeState(orSet, a.state); // true
 * ```
 *
 * @module
 */
export { decodeState, encodeState, updateId, type AnyCrdt, type CausalUpdate, type Mutation, type StateCrdt } from "./crdt.js";
export { canonicalJson, compareStrings, CrdtInputError, type Json } from "./json.js";
export { emptyVv, vvConcurrent, vvEquals, vvFromJson, vvGet, vvLeq, vvMeet, vvMerge, vvSet, vvToJson, type ReplicaId, type VersionVector } from "./version-vector.js";
export { gCounter, type GCounterApplied, type GCounterOp, type GCounterState } from "./g-counter.js";
export { orSet, orSetClock, orSetSize, type OrSetApplied, type OrSetEntry, type OrSetOp, type OrSetState } from "./or-set.js";
export { pnCounter, type PnCounterApplied, type PnCounterOp, type PnCounterState } from "./pn-counter.js";
export { gSet, type GSetOp, type GSetState } from "./g-set.js";
export { twoPhaseSet, type TwoPhaseSetOp, type TwoPhaseSetState } from "./two-phase-set.js";
export { compareHlc, hlcFromJson, hlcReceive, hlcTick, hlcToJson, hlcZero, maxHlc, type HlcStamp } from "./hlc.js";
export { compareWrites, lwwRegister, type LwwRegisterApplied, type LwwRegisterOp, type LwwRegisterState, type LwwWrite } from "./lww-register.js";
export { mvRegister, type MvEntry, type MvRegisterApplied, type MvRegisterOp, type MvRegisterState } from "./mv-register.js";
export { lwwMap, type LwwMapApplied, type LwwMapEntry, type LwwMapOp, type LwwMapState } from "./lww-map.js";
export { crdtByName, crdtTypes } from "./registry.js";
