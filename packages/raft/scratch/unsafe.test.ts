import { test } from "vitest";
import { randomRun } from "../test/harness/random-run.js";
for (const u of ["commitPriorTermByCounting", "voteWithoutUpToDateCheck", "ackBeforePersist"]) {
  test(u, () => {
    for (const opts of [{ preVote: false, checkQuorum: false, noopOnLeader: false }, {}]) {
    let caught = 0; let first = "";
    for (let seed = 1; seed <= 60; seed++) {
      try { randomRun({ seed, steps: 1500, options: { ...opts, unsafe: { [u]: true } } }); } catch (e) { caught++; if (!first) first = `seed ${seed}: ${(e as Error).message}`; }
    }
    console.log(u, JSON.stringify(opts), "caught", caught, first);
    }
  }, 300000);
}
