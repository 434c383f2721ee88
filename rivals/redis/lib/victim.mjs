#!/usr/bin/env node
/**
 * The client Kleppmann pauses, as its own process so that `run.mjs` can stop it with SIGSTOP (a
 * stop-the-world GC pause, a swapped-out page, a preempted VM). It takes the lock with Redlock,
 * says `ready` on stdout at the pause point (after the lease check, or with `pauseAt: "before-token"` right
 * after the grant), goes on with `workMs` of work, writes, and prints
 * its history events as one JSON line. Argument: one JSON object (see `run.mjs`).
 *
 * @module
 */
import { History, wallMs } from "./history.mjs";
import { RedlockApp } from "./redlock-app.mjs";

const o = JSON.parse(process.argv[2]);
const history = new History(o.epochMs);
const app = new RedlockApp({ ...o.app, history });
const say = (x) => process.stdout.write(`${JSON.stringify(x)}\n`);
const pausePoint = async () => {
  const before = wallMs();
  say({ ready: true });
  await new Promise((r) => setTimeout(r, o.workMs));
  say({ resumed: true, stoppedMs: wallMs() - before - o.workMs });
};
const r = await app.work("victim", o.pauseAt === "before-token" ? { afterGrant: pausePoint } : { afterCheck: pausePoint }, { checkLease: o.checkLease });
say({ result: r, events: history.events });
app.close();
