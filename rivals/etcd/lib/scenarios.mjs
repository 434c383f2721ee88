/**
 * The failover workloads run on both sides, each on a fresh cluster, each leaving one history of
 * leader claims for the leadership judge:
 *
 * - `kill-leader`: the leading candidate's process is SIGKILLed, `rounds` times (restarted after
 *   each); how long until another candidate claims a newer generation.
 * - `pause-leader`: the leading candidate's process is SIGSTOPped for `pauseMs` (past its lease)
 *   and SIGCONTed, `rounds` times; how long until another candidate leads, and how many claims the
 *   resumed one made with its old generation once a newer one had been claimed (a stale leader
 *   acting: the judge must flag those).
 * - `kill-server-leader` (etcd only): etcd's own Raft leader is SIGKILLed; does the election's
 *   leader keep leading, and how long do claims stop.
 *
 * @module
 */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ms = (ns) => ns / 1e6;

async function stableLeader(side, h, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const l = side.leader();
    if (l !== null) return l;
    if (Date.now() > deadline) throw new Error(`${side.name}: no leader within ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** Wait until someone other than `gone` claims a generation above `gen`; returns the claim. */
async function newLeader(side, gone, gen, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const l = side.leader();
    if (l !== null && l.node !== gone && l.generation > gen) return l;
    if (Date.now() > deadline) return null;
    await sleep(5);
  }
}

/** Claims in `h` by `node` with a generation below `gen`, made after `afterNs`. */
function staleClaims(h, node, gen, afterNs) {
  return h.events.filter((e) => e.type === "ok" && e.value?.node === node && e.value.generation < gen && e.time > afterNs).length;
}

export async function killLeader(side, h, o) {
  const rows = [];
  for (let round = 0; round < o.rounds; round++) {
    await sleep(1500);
    const l = await stableLeader(side, h);
    const killNs = h.now();
    side.signal(l.node, "SIGKILL");
    const n = await newLeader(side, l.node, l.generation);
    rows.push({ round, killed: `${l.node} (gen ${l.generation})`, newLeader: n === null ? "none in 30 s" : `${n.node} (gen ${n.generation})`, failoverMs: n === null ? null : ms(n.atNs - killNs) });
    await side.restart(l.node);
  }
  await sleep(1000);
  return rows;
}

export async function pauseLeader(side, h, o) {
  const rows = [];
  for (let round = 0; round < o.rounds; round++) {
    await sleep(1500);
    const l = await stableLeader(side, h);
    const stopNs = h.now();
    side.signal(l.node, "SIGSTOP");
    const n = await newLeader(side, l.node, l.generation);
    await sleep(Math.max(0, o.pauseMs - ms(h.now() - stopNs)));
    const contNs = h.now();
    side.signal(l.node, "SIGCONT");
    await sleep(1500);
    rows.push({
      round,
      paused: `${l.node} (gen ${l.generation})`,
      pausedMs: ms(contNs - stopNs),
      newLeader: n === null ? "none while paused" : `${n.node} (gen ${n.generation})`,
      failoverMs: n === null ? null : ms(n.atNs - stopNs),
      staleClaimsAfterResume: staleClaims(h, l.node, n === null ? Infinity : n.generation, contNs),
    });
  }
  return rows;
}

export async function killServerLeader(side, h, o) {
  await sleep(1500);
  const l = await stableLeader(side, h);
  const s = await side.serverLeader();
  if (s === null) return [{ note: "no separate server layer" }];
  const killNs = h.now();
  s.kill();
  await sleep(o.observeMs);
  const claims = h.events.filter((e) => e.type === "ok" && e.time > killNs).map((e) => ({ t: e.time, node: e.value.node, gen: e.value.generation }));
  let gap = 0;
  let prev = killNs;
  for (const c of claims.filter((c) => c.node === l.node)) {
    gap = Math.max(gap, c.t - prev);
    prev = c.t;
  }
  const after = side.leader();
  s.restart();
  await sleep(1000);
  return [{ serverKilled: s.name, electionLeaderBefore: `${l.node} (gen ${l.generation})`, electionLeaderAfter: after === null ? "none" : `${after.node} (gen ${after.generation})`, longestClaimGapMs: ms(gap) }];
}

/** Every scenario by name, with the sides it runs on and the verdicts other than ok its histories must get (by side tag). */
export const SCENARIOS = {
  "kill-leader": { run: killLeader, modes: ["checked"], expect: {} },
  // The naive client, resumed, acts on its old generation before it hears its lease is gone.
  "pause-leader": { run: pauseLeader, modes: ["naive", "checked"], expect: { "etcd-naive": "violation" } },
  "kill-server-leader": { run: killServerLeader, modes: ["checked"], etcdOnly: true, expect: {} },
};
