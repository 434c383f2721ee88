import { kit } from "../dist/kit/index.js";
import { validateWith, randomWalks, formatMismatch } from "@synod/conformance";
const t0 = performance.now();
const spec = await kit.spec.load("walks", "full");
const r = randomWalks(spec.model, kit.replay.adapter(spec), { seed: 1, walks: kit.replay.walks.full, depth: kit.replay.depth });
console.log("walks full:", r.mismatch ? formatMismatch(r.mismatch).slice(0, 3000) : `ok ${r.traces} walks ${r.steps} steps ${r.distinctStates} states, uncovered [${r.uncovered}]`, ((performance.now() - t0) / 1000).toFixed(0), "s");
const v = await kit.spec.load("validate", "full");
let checked = 0;
for (let seed = 1; seed <= kit.validate.seeds.full; seed++) {
  const x = validateWith(kit, v, { seed });
  checked += x.checkedActions;
  if (x.failure) { console.log("validate seed", seed, JSON.stringify(x.failure, null, 1)); break; }
}
console.log("validate full: seeds", kit.validate.seeds.full, "checked", checked, ((performance.now() - t0) / 1000).toFixed(0), "s");
