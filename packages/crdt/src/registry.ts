/**
 * Every CRDT of the package by name, for code that picks one from configuration (a gossip
 * cluster's payload, a history file's type).
 *
 * @module
 */
import type { AnyCrdt } from "./crdt.js";
import { gCounter } from "./g-counter.js";
import { gSet } from "./g-set.js";
import { CrdtInputError } from "./json.js";
import { lwwMap } from "./lww-map.js";
import { lwwRegister } from "./lww-register.js";
import { mvRegister } from "./mv-register.js";
import { orSet } from "./or-set.js";
import { pnCounter } from "./pn-counter.js";
import { twoPhaseSet } from "./two-phase-set.js";

/** The CRDTs by `name`. */
export const crdtTypes: Readonly<Record<string, AnyCrdt>> = Object.freeze({
  [gCounter.name]: gCounter,
  [pnCounter.name]: pnCounter,
  [gSet.name]: gSet,
  [twoPhaseSet.name]: twoPhaseSet,
  [orSet.name]: orSet,
  [lwwRegister.name]: lwwRegister,
  [mvRegister.name]: mvRegister,
  [lwwMap.name]: lwwMap,
});

/**
 * The CRDT called `name`.
 * @throws CrdtInputError listing the known names
 */
export function crdtByName(name: string): AnyCrdt {
  const c = crdtTypes[name];
  if (c === undefined) throw new CrdtInputError("crdt type", `unknown type ${JSON.stringify(name)} (known: ${Object.keys(crdtTypes).join(", ")})`);
  return c;
}
