/**
 * One application instance using Redlock as users do: node-redlock 4 over its own ioredis
 * connections to the five lock nodes, doing `work` = take the lock, (with fencing) get a token,
 * write to the protected storage, let the lock go, and recording each as one operation of the
 * mutual-exclusion judge's history.
 *
 * @module
 */
import Redis from "ioredis";
import Redlock from "redlock";
import { majorityToken, Storage } from "./fencing.mjs";

/**
 * ioredis connections to `ports`. `offlineQueue` is ioredis's default (`true`: commands to a dead
 * node wait for it to come back, up to 20 reconnections); `false` makes them fail at once, which
 * Redlock needs to go on with a majority when a node is down.
 */
export function connect(ports, { offlineQueue }) {
  return ports.map((port) => {
    const r = new Redis({ host: "127.0.0.1", port, enableOfflineQueue: offlineQueue, ...(offlineQueue ? {} : { maxRetriesPerRequest: 0 }) });
    r.on("error", () => {}); // connection refusals of a killed node are expected; commands report their own errors
    return r;
  });
}

/** Close connections without waiting for dead nodes. */
export function disconnect(conns) {
  for (const c of conns) c.disconnect();
}

/** One application instance. */
export class RedlockApp {
  /**
   * @param {{ name: string, clientNo: number, lockPorts: number[], storagePort: number, fenced: boolean,
   *   ttlMs: number, retryDelayMs: number, retryCount: number, offlineQueue: boolean, history: import("./history.mjs").History }} o
   */
  constructor(o) {
    this.o = o;
    this.nodes = connect(o.lockPorts, { offlineQueue: o.offlineQueue });
    this.storageConn = connect([o.storagePort], { offlineQueue: true })[0];
    this.storage = new Storage(this.storageConn, { fenced: o.fenced, name: o.storageName ?? "resource" });
    // retryJitter is the library's default (100 ms) scaled with the delay, so that -retry-delay keeps its shape.
    this.redlock = new Redlock(this.nodes, { driftFactor: 0.01, retryCount: o.retryCount, retryDelay: o.retryDelayMs, retryJitter: Math.round(o.retryDelayMs / 2) });
    this.redlock.on("clientError", () => {});
    this.seq = 0;
  }

  /**
   * One `work` operation. Returns `{ ok, acquireMs, workMs, error? }` and records it in the history.
   * `hooks.afterCheck` runs after the lease check and before the write (where a pause hurts);
   * `hooks.afterGrant` right after the grant, before the token. `checkLease: false` is a client
   * that does not look at its lease before writing (node-redlock leaves that check to its user).
   */
  async work(value, hooks = {}, { checkLease = true } = {}) {
    const h = this.o.history;
    const p = this.o.name;
    const attempt = `${p}.${++this.seq}`;
    const t0 = h.now();
    h.add(p, "invoke", "work", value, t0);
    let lock;
    try {
      lock = await this.redlock.lock("locks:resource", this.o.ttlMs);
    } catch (err) {
      h.add(p, "fail", "work", String(err.message ?? err));
      return { ok: false, acquireMs: h.now() - t0, error: String(err.message ?? err) };
    }
    const granted = h.now();
    try {
      if (hooks.afterGrant) await hooks.afterGrant();
      const token = this.o.fenced ? await majorityToken(this.nodes, "fence:resource", this.o.clientNo) : undefined;
      // A careful client checks its lease before it writes (Redlock's validity time).
      if (checkLease && Date.now() >= lock.expiration) {
        h.add(p, "fail", "work", "lease ran out before the write");
        return { ok: false, acquireMs: granted - t0, error: "lease ran out before the write" };
      }
      if (hooks.afterCheck) await hooks.afterCheck();
      const accepted = await this.storage.write(attempt, token, value);
      h.add(p, "ok", "work", this.o.fenced ? { attempt, token, accepted } : { attempt, granted, accepted });
      return { ok: true, acquireMs: granted - t0, workMs: h.now() - t0, attempt, token, granted, accepted };
    } catch (err) {
      // The write may or may not have happened.
      h.add(p, "info", "work", String(err.message ?? err));
      return { ok: false, acquireMs: granted - t0, error: String(err.message ?? err) };
    } finally {
      await lock.unlock().catch(() => {});
    }
  }

  close() {
    disconnect([...this.nodes, this.storageConn]);
  }
}
