/**
 * One campaigner of the etcd side, a process of its own (so a test can SIGKILL or SIGSTOP exactly
 * the leader). It campaigns with etcd3's election API (a key under the election's prefix, attached
 * to a lease of `ttlS` seconds kept alive by the library; the lowest create revision leads) and
 * the leader key's create revision is its fencing token.
 *
 * Every `claimEveryMs` it asks itself "am I the leader?", as an application's work loop would
 * before acting, and reports each yes to the parent as a claim in the leadership judge's
 * vocabulary: `{ node, generation, leaseRemainingMs }`, with the times it asked and answered, in
 * ns since the parent's `t0` (process.hrtime, one monotonic clock for every process of the host).
 *
 * - `naive` mode is the pattern of etcd3's own example: leader from `elected` until the campaign
 *   reports an error. Its lease is what etcd last said (the TTL of the last keepalive answer),
 *   with no account of the time since.
 * - `checked` mode also keeps the lease's certain end on its own clock: the time the keepalive was
 *   *sent* plus the TTL etcd answered (etcd's lease runs from when it received it, later). It
 *   claims only before that end, with what is left of it.
 *
 * Usage (by run.mjs only): `node campaigner.mjs <name> <endpoints> <ttlS> <naive|checked> <claimEveryMs> <t0ns>`.
 *
 * @module
 */
import { Etcd3 } from "etcd3";

const [name, endpoints, ttlText, mode, everyText, t0Text] = process.argv.slice(2);
const ttlS = Number(ttlText);
const claimEveryMs = Number(everyText);
if (!name || !endpoints || !(ttlS >= 1) || (mode !== "naive" && mode !== "checked") || !(claimEveryMs > 0) || !t0Text) {
  process.stderr.write("campaigner: usage: campaigner.mjs <name> <endpoints> <ttlS> <naive|checked> <claimEveryMs> <t0ns>\n");
  process.exit(2);
}
const t0 = BigInt(t0Text);
const nowNs = () => Number(process.hrtime.bigint() - t0);
const client = new Etcd3({ hosts: endpoints.split(",") });
const election = client.election("synod-rival-election", ttlS);

let campaign = null;
let elected = false;
let generation = null;
let lastTtlS = ttlS;
/** The certain end of our lease on our clock (ns since t0), and the sends of keepalives not yet answered. */
let leaseEndNs = 0;
let fired = [];

function run() {
  elected = false;
  generation = null;
  fired = [];
  const startNs = nowNs();
  leaseEndNs = startNs + ttlS * 1e9; // the grant was asked for now: it cannot run from earlier
  const c = election.campaign(name);
  campaign = c;
  const lease = c.lease;
  lease.on("keepaliveEstablished", () => (fired = []));
  lease.on("keepaliveFired", () => fired.push(nowNs()));
  lease.on("keepaliveSucceeded", (res) => {
    const sent = fired.shift();
    lastTtlS = Number(res.TTL);
    if (sent !== undefined) leaseEndNs = Math.max(leaseEndNs, sent + lastTtlS * 1e9);
  });
  c.on("elected", () => {
    if (campaign !== c) return;
    generation = Number(c.keyRevision);
    elected = true;
    process.send({ type: "elected", node: name, generation, atNs: nowNs() });
  });
  c.on("error", (err) => {
    if (campaign !== c) return;
    elected = false;
    process.send({ type: "lost", node: name, reason: String(err?.message ?? err), atNs: nowNs() });
    campaign = null;
    c.resign().catch(() => {});
    setTimeout(run, 200);
  });
}

setInterval(() => {
  if (!elected || generation === null) return;
  const invokeNs = nowNs();
  let remainingMs;
  if (mode === "naive") remainingMs = lastTtlS * 1000;
  else {
    remainingMs = (leaseEndNs - invokeNs) / 1e6;
    if (!(remainingMs > 0)) return;
  }
  process.send({ type: "claim", invokeNs, okNs: nowNs(), node: name, generation, leaseRemainingMs: remainingMs });
}, claimEveryMs);

process.on("message", (m) => {
  if (m?.type === "stop") {
    client.close();
    process.exit(0);
  }
});
run();
process.send({ type: "ready" });
