import { describe, expect, it } from "vitest";
import { measureWars, PUBLISHED, quantile, tVisibility, WARS_FITS, warsModel, type WarsFit } from "../../src/kit/pbs.js";

const seed = Number(process.env.SYNOD_SEED ?? 1);
console.log(`[pbs] SYNOD_SEED=${seed} (replay with SYNOD_SEED=${seed})`);

const fit = (name: WarsFit["name"]): WarsFit => WARS_FITS.find((f) => f.name === name) as WarsFit;
const frac = (xs: readonly number[], t: number): number => xs.filter((x) => x <= t).length / xs.length;
/** Four standard errors of a proportion near `p` over `n` trials, plus the published figures' rounding. */
const bound = (p: number, n: number): number => 4 * Math.sqrt(Math.max(p * (1 - p), 1 / n) / n) + 0.0005;

describe("PBS's WARS model and its published numbers (Bailis et al.)", () => {
  it("our WARS Monte Carlo, coordinator outside the replicas, reproduces the published P(consistent read) after commit", () => {
    const n = 20_000;
    for (const c of PUBLISHED.consistentAt.filter((x) => !("atLeast" in x))) {
      const m = warsModel(fit(c.fit), { r: c.r, w: c.w }, n, "outside", seed);
      const p = frac(m.thresholds as number[], c.tMs);
      expect(Math.abs(p - c.p), `${c.fit} R=${c.r} W=${c.w} t=${c.tMs}: ${p} vs published ${c.p}`).toBeLessThanOrEqual(bound(c.p, n));
    }
    // "over 99.999% after five milliseconds" (LNKD-SSD): no stale read at 5 ms in 20,000.
    expect(frac(warsModel(fit("LNKD-SSD"), { r: 1, w: 1 }, n, "outside", seed).thresholds as number[], 5)).toBe(1);
  });

  it("strict quorums (R + W > N) are consistent at once in the model, whatever the latencies", () => {
    for (const f of WARS_FITS) {
      for (const q of [{ r: 2, w: 2 }, { r: 3, w: 1 }, { r: 1, w: 3 }]) {
        expect(Math.max(...(warsModel(f, q, 2000, "outside", seed).thresholds as number[])), `${f.name} R=${q.r} W=${q.w}`).toBe(0);
      }
    }
  });

  it("Synod's nodes, with the fit's delay on each message type, read as stale as WARS with the coordinator a replica predicts", () => {
    const probes = [0, 2, 5, 10];
    const trials = 1500;
    for (const q of [{ r: 1, w: 1 }, { r: 2, w: 1 }]) {
      const measured = measureWars(fit("LNKD-DISK"), q, probes, trials, seed);
      const model = warsModel(fit("LNKD-DISK"), q, 20_000, "replica", seed);
      for (const t of probes) {
        const e = frac(model.thresholds as number[], t);
        const m = measured.consistentAt.get(t) as number;
        expect(Math.abs(m - e), `R=${q.r} W=${q.w} t=${t}: Synod ${m} vs model ${e}`).toBeLessThanOrEqual(bound(e, trials));
      }
      // The write's coordinator acknowledges its own copy at once: with W = 1 a write takes no network time.
      expect(quantile(measured.writeMs, 1)).toBe(0);
    }
    // And the model with the coordinator outside is a different thing: 43.9% at t = 0, not 1/3.
    const outside = frac(warsModel(fit("LNKD-DISK"), { r: 1, w: 1 }, 40_000, "outside", seed).thresholds as number[], 0);
    expect(outside).toBeGreaterThan(0.41);
  });

  it("Synod's nodes never read stale with overlapping quorums under production latencies", () => {
    const m = measureWars(fit("YMMR"), { r: 2, w: 2 }, [0], 400, seed);
    expect(m.consistentAt.get(0)).toBe(1);
    expect(tVisibility(m.consistentAt, 0.999)).toBe(0);
  });
});
