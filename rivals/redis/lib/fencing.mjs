/**
 * What Redlock does not give: a fencing token, and a storage that checks one.
 *
 * The token is a max-register kept on the same five Redis nodes as the lock (Lamport's / ABD's
 * quorum register): read the counter from a majority, take the largest value `m`, write a larger
 * one to a majority with a "set if larger" script. Two majorities intersect, so a token operation
 * that starts after another one finished reads at least the earlier token and returns a larger one;
 * two overlapping operations get distinct tokens (the low bits are the client's number) in no
 * particular order. That makes it a real fencing token for the storage — writes are accepted in
 * token order — but not one tied to the lock: Redlock's grant and the token are two separate
 * majority operations, so a holder paused between its grant and its token operation gets a token
 * larger than the next holder's, and the storage then orders the two holdings the other way round
 * from the lock. And a Redis node restarted without persistence forgets the counter, which breaks
 * the intersection argument (as it breaks Redlock's own).
 *
 * The storage is one more redis-server holding a list (the log of accepted writes). The plain
 * write appends; the fenced write is a script that appends only if the token is at least the
 * largest accepted so far (equal: the same holding writing again), atomically.
 *
 * @module
 */

/** Low bits of a token: the client's number (so concurrent token operations never tie). */
export const CLIENT_BITS = 10;

/** The token after `m` for client number `clientNo` (0 <= clientNo < 2^CLIENT_BITS). */
export function nextToken(m, clientNo) {
  if (!(Number.isInteger(clientNo) && clientNo >= 0 && clientNo < 2 ** CLIENT_BITS)) throw new RangeError(`client number ${clientNo} is not in 0..${2 ** CLIENT_BITS - 1}`);
  if (!(Number.isSafeInteger(m) && m >= 0)) throw new RangeError(`counter value ${m} is not a whole number >= 0`);
  return (Math.floor(m / 2 ** CLIENT_BITS) + 1) * 2 ** CLIENT_BITS + clientNo;
}

const SET_MAX = `
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > cur then redis.call('SET', KEYS[1], ARGV[1]) end
return 1`;

const FENCED_WRITE = `
local max = tonumber(redis.call('GET', KEYS[2]) or '0')
if tonumber(ARGV[1]) < max then return 0 end
redis.call('SET', KEYS[2], ARGV[1])
redis.call('RPUSH', KEYS[1], ARGV[2])
return 1`;

/**
 * Wait for `need` of `promises` to resolve; reject once that can no longer happen.
 * @returns the values of the first `need` that resolved.
 */
export function firstOf(promises, need, what) {
  return new Promise((resolve, reject) => {
    const got = [];
    const errors = [];
    for (const p of promises) {
      p.then(
        (v) => {
          got.push(v);
          if (got.length === need) resolve(got.slice());
        },
        (err) => {
          errors.push(err);
          if (promises.length - errors.length < need) reject(new Error(`${what}: ${errors.length} of ${promises.length} nodes failed (${errors[0]?.message ?? errors[0]}), a majority of ${need} cannot answer`));
        },
      );
    }
  });
}

/**
 * A fencing token from the majority max-register `key` on `nodes` (ioredis clients).
 * @param {import("ioredis").Redis[]} nodes
 */
export async function majorityToken(nodes, key, clientNo) {
  const need = Math.floor(nodes.length / 2) + 1;
  const read = await firstOf(nodes.map((n) => n.get(key)), need, `token read of ${key}`);
  const m = Math.max(0, ...read.map((v) => (v === null ? 0 : Number(v))));
  const token = nextToken(m, clientNo);
  await firstOf(nodes.map((n) => n.eval(SET_MAX, 1, key, String(token))), need, `token write of ${key}`);
  return token;
}

/**
 * The protected storage on one Redis: `write` appends `{ attempt, token?, value }` to the log, with
 * `fenced` only if the token is not stale. Returns whether the write was accepted.
 */
export class Storage {
  /** @param {import("ioredis").Redis} redis @param {{ fenced: boolean, name: string }} o */
  constructor(redis, o) {
    this.redis = redis;
    this.fenced = o.fenced;
    this.logKey = `${o.name}:log`;
    this.maxKey = `${o.name}:max-token`;
  }

  async write(attempt, token, value) {
    if (this.fenced) {
      if (token === undefined) throw new Error(`fenced storage: write of ${attempt} has no token`);
      return (await this.redis.eval(FENCED_WRITE, 2, this.logKey, this.maxKey, String(token), JSON.stringify({ attempt, token, value }))) === 1;
    }
    await this.redis.rpush(this.logKey, JSON.stringify(token === undefined ? { attempt, value } : { attempt, token, value }));
    return true;
  }

  /** The accepted writes, in the storage's order. */
  async log() {
    return (await this.redis.lrange(this.logKey, 0, -1)).map((s) => JSON.parse(s));
  }
}
