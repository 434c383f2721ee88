/**
 * The workloads run on both sides, each on a fresh cluster, each leaving a history in the
 * mutual-exclusion judge's vocabulary and a few figures:
 *
 * - `contention`: n clients each take the lock, write, let go, again and again for a while;
 *   latency of a whole `work` (acquire + write + release) and handoffs per second.
 * - `kill-holder`: a client holds (1 s of work) while another waits; the holder's process is
 *   SIGKILLed; how long until the waiter is granted (its session must expire first).
 * - `kill-leader`: 4 clients contend; the coordination leader's process (ZooKeeper's leader, the
 *   tree's Raft leader) is SIGKILLed and later restarted; how long the lock stops going round.
 * - `kleppmann-fenced` / `kleppmann-unfenced`: a holder is SIGSTOPped past its session timeout,
 *   another client takes the lock and writes, the first is SIGCONTed and writes with its stale
 *   token; the fenced store rejects it, the unfenced one accepts it and the judge must say so.
 *
 * @module
 */
import { cpuSeconds } from "./cpu.mjs";
import { History, percentile } from "./history.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** Resolves with `p`, or throws `what` after `timeoutMs`. */
const within = (p, timeoutMs, what) => Promise.race([p, sleep(timeoutMs).then(() => Promise.reject(new Error(`${what} within ${timeoutMs} ms`)))]);
const ms = (ns) => ns / 1e6;

/** Run `work` on client `k` of `side`, recording it in `h` as process `c<k+1>`. */
async function recorded(side, h, k, value, hooks = {}) {
  const proc = `c${k + 1}`;
  const invokedNs = h.invoke(proc, "work", value);
  let acquiredNs = null;
  // Where a side can only see a holding by polling (Synod's status), it polls only when asked to.
  const r = await side.work(k, value, { onAcquired: () => ((acquiredNs = h.now()), hooks.onAcquired?.()), watchHolding: hooks.onAcquired !== undefined });
  const doneNs = h.complete(r.status, proc, "work", r.status === "ok" ? r.result : r.reason);
  // Synod's client says how long it waited for the lock, on its own clock from the request's
  // arrival (the hop from the driver is left out); ZooKeeper's worker reports the moment itself.
  if (acquiredNs === null && typeof r.waitedMs === "number") acquiredNs = invokedNs + r.waitedMs * 1e6;
  return { ...r, invokedNs, acquiredNs, doneNs };
}

/** Read the store's log into the history (the judge needs it). */
async function readLog(side, h) {
  h.invoke("driver", "log", null);
  const writes = await side.readLog();
  h.complete("ok", "driver", "log", { writes });
  return writes;
}

/** Closed-loop contention at each level of `levels` clients, `seconds` each. */
export async function contention(side, h, o) {
  const rows = [];
  for (const n of o.levels) {
    const until = Date.now() + o.seconds * 1000;
    const lat = [];
    const acq = [];
    let failed = 0;
    const loop = async (k) => {
      for (let i = 0; Date.now() < until; i++) {
        const r = await recorded(side, h, k, `n${n}-c${k + 1}-${i}`);
        if (r.status !== "ok") failed++;
        else {
          lat.push(ms(r.doneNs - r.invokedNs));
          if (r.acquiredNs !== null) acq.push(ms(r.acquiredNs - r.invokedNs));
        }
      }
    };
    const pids = side.pids();
    const cpu = (list) => list.reduce((a, pid) => a + cpuSeconds(pid), 0);
    const cpu0 = { servers: cpu(pids.servers), clients: cpu(pids.clients) };
    const t0 = Date.now();
    await Promise.all(Array.from({ length: n }, (_, k) => loop(k)));
    const wallS = (Date.now() - t0) / 1000;
    const cpuServersMs = (cpu(pids.servers) - cpu0.servers) * 1000;
    const cpuClientsMs = (cpu(pids.clients) - cpu0.clients) * 1000;
    rows.push({
      clients: n,
      handoffs: lat.length,
      handoffsPerS: lat.length / wallS,
      workP50Ms: percentile(lat, 50),
      workP99Ms: percentile(lat, 99),
      acquireP50Ms: acq.length ? percentile(acq, 50) : null,
      acquireP99Ms: acq.length ? percentile(acq, 99) : null,
      serverCpuMsPerHandoff: lat.length ? cpuServersMs / lat.length : null,
      clientCpuMsPerHandoff: lat.length ? cpuClientsMs / lat.length : null,
      failed,
    });
  }
  await readLog(side, h);
  return rows;
}

/**
 * The holder's process is SIGKILLed while another client waits: the time from the kill until the
 * waiter is granted (exact on ZooKeeper, where the worker reports its grant) and until the
 * waiter's whole work answered minus its work time (both sides).
 */
export async function killHolder(side, h, o) {
  const rows = [];
  for (let round = 0; round < o.rounds; round++) {
    let held;
    const heldP = new Promise((r) => (held = r));
    const a = recorded(side, h, 0, `hold-${round}`, { onAcquired: () => held() });
    await within(heldP, 30000, `${side.name}: client 1 did not take the lock`);
    const b = recorded(side, h, 1, `wait-${round}`, { onAcquired: () => {} });
    await sleep(300);
    const killNs = h.now();
    side.signalClient(0, "SIGKILL");
    const [ra, rb] = await Promise.all([a, b]);
    rows.push({
      round,
      holder: ra.status,
      waiter: rb.status,
      grantAfterKillMs: rb.acquiredNs === null ? null : ms(rb.acquiredNs - killNs),
      doneAfterKillMinusWorkMs: rb.status === "ok" ? ms(rb.doneNs - killNs) - o.workMs : null,
    });
    await side.restartClient(0);
    await sleep(1500);
  }
  await readLog(side, h);
  return rows;
}

/**
 * 4 clients contend; the leader's process is SIGKILLed at `killAtS` and restarted at
 * `restartAtS`; the first handoff after the kill and the longest gap between handoffs.
 */
export async function killLeader(side, h, o) {
  const until = Date.now() + o.seconds * 1000;
  const done = [];
  const loop = async (k) => {
    for (let i = 0; Date.now() < until; i++) {
      const r = await recorded(side, h, k, `c${k + 1}-${i}`);
      if (r.status === "ok") done.push(r.doneNs);
    }
  };
  const driver = (async () => {
    await sleep(o.killAtS * 1000);
    const leader = await side.leader();
    if (leader === null) throw new Error(`${side.name}: no leader to kill at ${o.killAtS} s`);
    const killNs = h.now();
    side.killServer(leader);
    await sleep((o.restartAtS - o.killAtS) * 1000);
    side.restartServer(leader);
    return { leader: leader.name, killNs };
  })();
  const [, kill] = await Promise.all([Promise.all(Array.from({ length: o.clients }, (_, k) => loop(k))), driver]);
  done.sort((x, y) => x - y);
  const after = done.filter((t) => t >= kill.killNs);
  let gap = 0;
  let prev = done.filter((t) => t < kill.killNs).pop() ?? kill.killNs;
  for (const t of after) {
    gap = Math.max(gap, t - prev);
    prev = t;
  }
  const newLeader = await side.leader();
  await readLog(side, h);
  return [{ killed: kill.leader, newLeader: newLeader?.name ?? null, handoffs: done.length, firstHandoffAfterKillMs: after.length ? ms(after[0] - kill.killNs) : null, longestGapMs: ms(gap) }];
}

/**
 * Kleppmann's scenario for real: the holder's process is SIGSTOPped past its session timeout,
 * another client takes the lock and writes, then the first is SIGCONTed and writes too.
 */
export async function kleppmann(side, h, o) {
  let held;
  const heldP = new Promise((r) => (held = r));
  const a = recorded(side, h, 0, "paused-holder", { onAcquired: () => held() });
  await within(heldP, 30000, `${side.name}: client 1 did not take the lock`);
  const stopNs = h.now();
  side.signalClient(0, "SIGSTOP");
  const rb = await recorded(side, h, 1, "next-holder");
  await sleep(200);
  const contNs = h.now();
  side.signalClient(0, "SIGCONT");
  const ra = await a;
  const log = await readLog(side, h);
  return [{ pausedMs: ms(contNs - stopNs), pausedHolder: ra.status === "ok" ? `token ${ra.result.token}, ${ra.result.accepted ? "accepted" : "rejected"}` : ra.status, nextHolder: rb.status === "ok" ? `token ${rb.result.token}, ${rb.result.accepted ? "accepted" : "rejected"}` : rb.status, storeLog: log.map((w) => w.value).join(" → ") }];
}

/** Every scenario by name: how to start the cluster for it, how to run it, and the verdict its history must get. */
export const SCENARIOS = {
  contention: { cluster: (o) => ({ clients: Math.max(...o.levels), fenced: true, workMs: 0 }), run: contention, expect: "ok" },
  "kill-holder": { cluster: () => ({ clients: 2, fenced: true, workMs: 1000 }), run: killHolder, expect: "ok" },
  "kill-leader": { cluster: () => ({ clients: 4, fenced: true, workMs: 20 }), run: killLeader, expect: "ok" },
  "kleppmann-fenced": { cluster: () => ({ clients: 2, fenced: true, workMs: 1000 }), run: kleppmann, expect: "ok" },
  // Without fencing, the paused holder's late write lands after the next holder's: the judge must say so.
  "kleppmann-unfenced": { cluster: () => ({ clients: 2, fenced: false, workMs: 1000 }), run: kleppmann, expect: "violation" },
};

export { History };
