import { kit } from "/work/wt-dynamo/packages/dynamo/dist/kit/index.js";
import { validateWith, randomWalks, replayCoverage, formatMismatch } from "@synod/conformance";
const what = process.argv[2];
const t0 = performance.now();
if (what === "validate") {
  const spec = await kit.spec.load("validate", "ci");
  for (let seed = 1; seed <= Number(process.argv[3] ?? 2); seed++) {
    const r = validateWith(kit, spec, { seed, ...(process.argv[4] ? { variant: { countReplicaTwice: true } } : {}) });
    console.log(seed, r.checkedActions, JSON.stringify(r.actions), r.failure ? JSON.stringify(r.failure, null, 1).slice(0, 3000) : "ok", r.seconds.toFixed(1));
    if (r.failure) break;
  }
} else if (what === "walks") {
  const spec = await kit.spec.load("walks", "ci");
  const r = randomWalks(spec.model, kit.replay.adapter(spec, process.argv[3] ? { countReplicaTwice: true } : undefined), { seed: 1, walks: 60, depth: 25 });
  console.log(r.mismatch ? formatMismatch(r.mismatch).slice(0, 3000) : `ok ${r.traces} ${r.steps} ${r.distinctStates} uncovered ${r.uncovered}`);
} else {
  const spec = await kit.spec.load("coverage", "ci");
  const r = replayCoverage(spec.model, kit.replay.adapter(spec));
  console.log(r.mismatch ? formatMismatch(r.mismatch).slice(0, 3000) : `ok ${r.traces} ${r.steps} ${r.distinctStates} uncovered ${r.uncovered}`);
}
console.log(((performance.now() - t0) / 1000).toFixed(1), "s");
