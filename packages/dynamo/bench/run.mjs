// Dynamo's own bench rows, standalone (the same rows `pnpm bench` prints in the shared table,
// conformance/bench/run.mjs, which runs every registered kit's `bench`): latency percentiles, P(stale)
// vs time since the write beside PBS's closed form, messages per operation, anti-entropy repair time.
// Seeded simulator figures. Usage (after a build): node packages/dynamo/bench/run.mjs [--quick]
import { bench } from "../dist/kit/bench.js";

const quick = process.argv.includes("--quick");
const t0 = performance.now();
const rows = await bench.run({ quick, log: (l) => console.error(l) });
console.log(`# Dynamo-style quorums on @synod/sim — node packages/dynamo/bench/run.mjs${quick ? " --quick" : ""}`);
console.log("| case | figures | usually quoted |");
console.log("|---|---|---|");
for (const r of rows) console.log(`| ${r.case} | ${Object.entries(r.figures).map(([k, v]) => `${k} ${v}`).join(", ")} | ${r.quoted ?? "-"} |`);
console.log(`\n(wall time ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
