/**
 * Seeds and sizes of randomized tests, shared by every protocol package: a seed is printed so a
 * failure replays, and `FULL=1` asks for the big versions of the checks.
 *
 * @module
 */
/** The seed of a randomized test: `SEED=<n>` overrides the default; printed so a failure replays. */
export function testSeed(name: string, fallback: number): number {
  const env = process.env.SEED;
  const seed = env !== undefined && env !== "" ? Number(env) : fallback;
  if (!Number.isSafeInteger(seed)) throw new Error(`SEED must be an integer, got ${JSON.stringify(env)}`);
  console.log(`${name}: seed ${seed} (replay with SEED=${seed})`);
  return seed;
}

/** FULL=1 runs the bigger versions of the checks. */
export const FULL = process.env.FULL === "1";
