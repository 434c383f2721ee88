#!/usr/bin/env node
// Synod's Dynamo against PBS's published t-visibility (Bailis et al., VLDB 2012 / CACM 2014), N = 3.
// For each production fit and quorum: the published figures; our WARS Monte Carlo as the paper
// states it (coordinator outside the replicas: it should reproduce them); the authors' sweep method
// run on that model (first t whose fresh batch reaches 99.9%); WARS with the coordinator one of the
// replicas (Dynamo's and Synod's layout); and Synod's real nodes in the simulator, whose per-message
// delays are drawn from the fit. Prints markdown tables.
//
//   node packages/dynamo/bench/pbs.mjs [--quick] [--seed N]
//
// Build first: npx -y pnpm@10 --filter @synod/dynamo... build
import { PUBLISHED, WARS_FITS, measureWars, quantile, tVisibility, warsModel, warsSweep } from "../dist/kit/index.js";

const args = process.argv.slice(2);
for (const a of args) if (a !== "--quick" && a !== "--seed" && !/^\d+$/.test(a)) throw usage(`unknown argument ${a}`);
const quick = args.includes("--quick");
const seedAt = args.indexOf("--seed");
const seed = seedAt === -1 ? 1 : Number(args[seedAt + 1]);
if (!Number.isSafeInteger(seed)) throw usage("--seed needs an integer");
function usage(why) {
  console.error(`pbs.mjs: ${why}\nusage: node packages/dynamo/bench/pbs.mjs [--quick] [--seed N]`);
  process.exit(2);
}

const MODEL_TRIALS = quick ? 100_000 : 1_000_000;
const MEASURE_TRIALS = quick ? 2_000 : 20_000;
const SWEEP_BATCH = 50_000; // the paper's batch ("50,000 reads and writes")
const PROBES = {
  "LNKD-SSD": [0, 0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 3, 5],
  "LNKD-DISK": [0, 1, 2, 5, 10, 15, 20, 30, 40, 45, 50, 55, 60, 80],
  YMMR: [0, 5, 10, 50, 100, 200, 300, 500, 1000, 1200, 1300, 1400, 1500, 1700],
};
const SWEEP_STEP = { "LNKD-SSD": 0.01, "LNKD-DISK": 1, YMMR: 1 };
const QUORUMS = PUBLISHED.table.map((row) => ({ r: row.r, w: row.w }));

const pct = (x) => `${(100 * x).toFixed(2)}%`;
const ms = (x) => (x === null || x === undefined ? "—" : x >= 100 ? x.toFixed(0) : x.toFixed(2));
const frac = (xs, t) => xs.filter((x) => x <= t).length / xs.length;
console.log(`seed ${seed}; model ${MODEL_TRIALS} trials; Synod ${MEASURE_TRIALS} trials per probe; ${quick ? "quick" : "full"}\n`);

const cpu0 = process.cpuUsage();
const wall0 = performance.now();
for (const fit of WARS_FITS) {
  console.log(`### ${fit.name}\n\n${fit.source}\n`);
  console.log("| R,W | published P(t=0) | model outside | model replica | Synod | published t99.9 | model outside | paper's sweep on model | model replica | Synod (probe grid) | published Lr/Lw p99.9 | model outside | model replica | Synod |");
  console.log("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
  const curves = [];
  for (const q of QUORUMS) {
    const pub = PUBLISHED.table.find((row) => row.r === q.r && row.w === q.w)[fit.name];
    const pub0 = PUBLISHED.consistentAt.find((c) => c.fit === fit.name && c.r === q.r && c.w === q.w && c.tMs === 0);
    const out = warsModel(fit, q, MODEL_TRIALS, "outside", seed);
    const rep = warsModel(fit, q, MODEL_TRIALS, "replica", seed);
    const probes = PROBES[fit.name];
    const t0 = performance.now();
    const syn = measureWars(fit, q, probes, MEASURE_TRIALS, seed);
    const synSec = (performance.now() - t0) / 1000;
    const tOut = quantile(out.thresholds, 0.999);
    // The sweep is costly on a flat tail: run it for the partial quorums only, from where the
    // model's curve is still clearly below 99.9% (its 99.8% quantile).
    const partial = q.r + q.w <= 3;
    const sweep = partial && !(quick && fit.name === "YMMR") ? warsSweep(fit, q, 0.999, SWEEP_BATCH, Math.floor(quantile(out.thresholds, 0.998) / SWEEP_STEP[fit.name]) * SWEEP_STEP[fit.name], SWEEP_STEP[fit.name], 5000, seed + 100) : partial ? null : 0;
    const tRep = quantile(rep.thresholds, 0.999);
    const tSyn = tVisibility(syn.consistentAt, 0.999);
    console.log(
      `| ${q.r},${q.w} | ${pub0 ? pct(pub0.p) : "—"} | ${pct(frac(out.thresholds, 0))} | ${pct(frac(rep.thresholds, 0))} | ${pct(syn.consistentAt.get(0))} | ${ms(pub.t)} | ${ms(tOut)} | ${sweep === null ? "not run" : ms(sweep)} | ${ms(tRep)} | ${tSyn === null ? `> ${probes[probes.length - 1]}` : `≤ ${ms(tSyn)}`} | ${ms(pub.lr)} / ${ms(pub.lw)} | ${ms(quantile(out.readMs, 0.999))} / ${ms(quantile(out.writeMs, 0.999))} | ${ms(quantile(rep.readMs, 0.999))} / ${ms(quantile(rep.writeMs, 0.999))} | ${ms(quantile(syn.readMs, 0.999))} / ${ms(quantile(syn.writeMs, 0.999))} |`,
    );
    // Synod against the replica model at every probe: the largest gap, in standard errors of the measurement.
    let worst = { t: 0, gap: 0, z: 0 };
    for (const t of probes) {
      const m = syn.consistentAt.get(t);
      const e = frac(rep.thresholds, t);
      const se = Math.sqrt(Math.max(e * (1 - e), 1 / MEASURE_TRIALS) / MEASURE_TRIALS);
      const z = Math.abs(m - e) / se;
      if (z > worst.z) worst = { t, gap: m - e, z };
    }
    curves.push({ q, probes, syn, rep, worst, synSec });
  }
  console.log("");
  for (const { q, probes, syn, rep, worst, synSec } of curves) {
    console.log(
      `R=${q.r} W=${q.w}: P(consistent) at t = ${probes.join(", ")} ms — Synod ${probes.map((t) => pct(syn.consistentAt.get(t))).join(", ")}; replica model ${probes.map((t) => pct(frac(rep.thresholds, t))).join(", ")}; largest gap ${(100 * worst.gap).toFixed(2)} points at t=${worst.t} (${worst.z.toFixed(1)} standard errors); Synod run ${synSec.toFixed(1)} s`,
    );
  }
  console.log("");
}
const cpu = process.cpuUsage(cpu0);
console.log(`wall ${((performance.now() - wall0) / 1000).toFixed(0)} s, CPU ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s`);
