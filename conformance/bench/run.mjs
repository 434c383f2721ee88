// `pnpm bench` for conformance: every registered protocol that serves the replicated KV store,
// side by side on the simulator (messages and round trips per command, throughput with and
// without batching, recovery after leader loss), then each protocol's own rows. Virtual times are
// seeded and identical on every run; "wall" figures vary with the machine.
// Usage: node bench/run.mjs [--seeds N] [--quick]
import { loadKits, protocolBenches, simulatorBench } from "../dist/index.js";

const argv = process.argv.slice(2);
const seeds = argv.includes("--seeds") ? Number(argv[argv.indexOf("--seeds") + 1]) : 100;
const quick = argv.includes("--quick");
const t0 = performance.now();
const kits = await loadKits();
const rows = simulatorBench(kits, { seeds, quick });
const names = Object.keys(rows[0]?.cells ?? {});
console.log(`# Replicated KV protocols on @synod/sim, side by side — node conformance/bench/run.mjs --seeds ${seeds}${quick ? " --quick" : ""}`);
console.log(`| case | ${names.join(" | ")} | usually quoted |`);
console.log(`|---|${names.map(() => "---|").join("")}---|`);
for (const r of rows) console.log(`| ${r.case} | ${names.map((n) => r.cells[n]).join(" | ")} | ${r.quoted} |`);
for (const { protocol, rows: own } of await protocolBenches(kits, { quick, log: (l) => console.error(l) })) {
  console.log(`\n# ${protocol}: its own figures`);
  console.log("| case | figures | usually quoted |");
  console.log("|---|---|---|");
  for (const r of own) console.log(`| ${r.case} | ${Object.entries(r.figures).map(([k, v]) => `${k} ${v}`).join(", ")} | ${r.quoted ?? "-"} |`);
}
console.log(`\n(wall time ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
