/**
 * One lock client of the ZooKeeper side, a process of its own (so a test can SIGKILL or SIGSTOP
 * exactly the holder). It runs ZooKeeper's standard lock recipe with node-zookeeper-client:
 *
 * 1. create an EPHEMERAL_SEQUENTIAL node `/lock/<guid>-lock-`; after a connection loss during the
 *    create, find it again by its guid (the "protected" recipe, so a lost answer leaks no node);
 * 2. list `/lock`; if ours is the lowest sequence, we hold the lock; else set a watch on the node
 *    just below ours only (no herd effect) and list again when it fires;
 * 3. holding: the node's czxid is the fencing token (zxids only grow, across leader changes too);
 *    work, write to the store with the token, delete our node.
 *
 * The parent sends `{ type: "work", id, value, workMs }` and gets `{ type: "acquired", id, token }`
 * and then `{ type: "done", id, attempt, token, accepted }` or `{ type: "failed", id, reason }`.
 * Usage (by run.mjs only): `node zk-worker.mjs <name> <connectString> <sessionTimeoutMs> <storeUrl>`.
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import zookeeper from "node-zookeeper-client";

const [name, connectString, sessionText, storeUrl] = process.argv.slice(2);
const sessionTimeoutMs = Number(sessionText);
if (!name || !connectString || !(sessionTimeoutMs > 0) || !storeUrl) {
  process.stderr.write("zk-worker: usage: zk-worker.mjs <name> <connectString> <sessionTimeoutMs> <storeUrl>\n");
  process.exit(2);
}
const LOCK_DIR = "/lock";
let attempts = 0;
/** @type {import("node-zookeeper-client").Client | null} */
let client = null;
let expired = false;

/** A connected client: the current one, or a new session once the last expired. */
async function connected() {
  if (client !== null && !expired) return client;
  if (client !== null) client.close();
  expired = false;
  const c = zookeeper.createClient(connectString, { sessionTimeout: sessionTimeoutMs, spinDelay: 50, retries: 1000 });
  c.on("state", (s) => {
    if (s === zookeeper.State.EXPIRED) expired = true;
  });
  await new Promise((resolve) => {
    c.once("connected", resolve);
    c.connect();
  });
  client = c;
  return c;
}

const call = (fn) => new Promise((resolve, reject) => fn((err, ...rest) => (err ? reject(err) : resolve(rest))));
const seqOf = (child) => Number(child.slice(child.lastIndexOf("-") + 1));
const isCode = (err, code) => err && typeof err.getCode === "function" && err.getCode() === code;

async function ensureDir(c) {
  try {
    await call((cb) => c.mkdirp(LOCK_DIR, cb));
  } catch (err) {
    if (!isCode(err, zookeeper.Exception.NODE_EXISTS)) throw err;
  }
}

/** Create our sequential node, finding it by its guid if the answer to the create was lost. */
async function createNode(c, guid) {
  const prefix = `${LOCK_DIR}/${guid}-lock-`;
  for (let k = 0; k < 20; k++) {
    try {
      const [path] = await call((cb) => c.create(prefix, Buffer.alloc(0), zookeeper.ACL.OPEN_ACL_UNSAFE, zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL, cb));
      return path;
    } catch (err) {
      if (!isCode(err, zookeeper.Exception.CONNECTION_LOSS)) throw err;
      const [children] = await call((cb) => c.getChildren(LOCK_DIR, cb));
      const mine = children.find((ch) => ch.startsWith(`${guid}-lock-`));
      if (mine !== undefined) return `${LOCK_DIR}/${mine}`;
    }
  }
  throw new Error("create: connection lost 20 times");
}

/** Wait until our node is the lowest; throws if it is gone (our session expired). */
async function waitTurn(c, path) {
  const ours = path.slice(LOCK_DIR.length + 1);
  for (;;) {
    const [children] = await call((cb) => c.getChildren(LOCK_DIR, cb));
    const sorted = children.sort((a, b) => seqOf(a) - seqOf(b));
    const k = sorted.indexOf(ours);
    if (k < 0) throw new Error(`our node ${ours} is gone: the session expired`);
    if (k === 0) return;
    const below = `${LOCK_DIR}/${sorted[k - 1]}`;
    let fired;
    const wake = new Promise((resolve) => (fired = resolve));
    const [stat] = await call((cb) => c.exists(below, () => fired(), cb));
    if (stat === null || stat === undefined) continue; // gone between the listing and the watch
    await wake;
    if (expired) throw new Error("the session expired while waiting");
  }
}

/** The fencing token: the czxid of our node, as a number (epoch << 32 | counter). */
async function tokenOf(c, path) {
  const [stat] = await call((cb) => c.exists(path, cb));
  if (!stat) throw new Error(`our node ${path} is gone before we read its czxid`);
  return Number(stat.czxid.readBigUInt64BE(0));
}

async function work(msg) {
  const attempt = `${name}.${process.pid}.${++attempts}`;
  const c = await connected();
  await ensureDir(c);
  const path = await createNode(c, randomUUID());
  await waitTurn(c, path);
  const token = await tokenOf(c, path);
  process.send({ type: "acquired", id: msg.id, attempt, token });
  if (msg.workMs > 0) await new Promise((r) => setTimeout(r, msg.workMs));
  const res = await fetch(`${storeUrl}/write`, { method: "POST", body: JSON.stringify({ attempt, token, value: msg.value }) });
  const body = await res.json();
  if (res.status !== 200) throw new Error(`store: ${body.error}`);
  // Let go. A holder paused past its session finds its session expired: the client library then
  // never answers the delete, and the node went with the session anyway. So the delete is given
  // one session timeout; the write's verdict stands either way.
  const released = call((cb) => c.remove(path, -1, cb)).catch((err) => {
    if (!isCode(err, zookeeper.Exception.NO_NODE) && !isCode(err, zookeeper.Exception.SESSION_EXPIRED) && !isCode(err, zookeeper.Exception.CONNECTION_LOSS)) throw err;
  });
  await Promise.race([released, new Promise((r) => setTimeout(r, sessionTimeoutMs))]);
  return { attempt, token, accepted: body.accepted === true };
}

process.on("message", (msg) => {
  if (msg?.type === "stop") {
    if (client !== null) client.close();
    process.exit(0);
  }
  if (msg?.type !== "work") return;
  work(msg).then(
    (r) => process.send({ type: "done", id: msg.id, ...r }),
    (err) => process.send({ type: "failed", id: msg.id, reason: String(err?.message ?? err) }),
  );
});
process.send({ type: "ready" });
