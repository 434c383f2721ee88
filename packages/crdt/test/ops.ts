/** Random operations of each type, for the tests that run every type. */
import fc from "fast-check";
import type { AnyCrdt } from "../src/index.js";

const elem = fc.constantFrom("a", "b", "c");
const nowMs = fc.nat({ max: 20 });

/** Operations of `crdt` (valid JSON ops; the 2P-Set's removes may need filtering by state). */
export function randomOpArb(crdt: AnyCrdt): fc.Arbitrary<unknown> {
  switch (crdt.name) {
    case "g-counter":
      return fc.record({ type: fc.constant("inc"), by: fc.nat({ max: 3 }) });
    case "pn-counter":
      return fc.record({ type: fc.constantFrom("inc", "dec"), by: fc.nat({ max: 3 }) });
    case "g-set":
      return fc.record({ type: fc.constant("add"), elem });
    case "2p-set":
    case "or-set":
      return fc.record({ type: fc.constantFrom("add", "remove"), elem });
    case "lww-register":
      return fc.record({ type: fc.constant("set"), value: fc.nat({ max: 9 }), nowMs });
    case "mv-register":
      return fc.record({ type: fc.constant("set"), value: fc.nat({ max: 9 }) });
    case "lww-map":
      return fc.oneof(fc.record({ type: fc.constant("set"), key: elem, value: fc.nat({ max: 9 }), nowMs }), fc.record({ type: fc.constant("delete"), key: elem, nowMs }));
    default:
      throw new Error(`no operations for ${crdt.name}`);
  }
}
