/**
 * Parsers for command-line values. Each throws a {@link UsageError} that names the option and, for
 * lists, the entry, so `synod` can print one clear line and exit with {@link EXIT_USAGE}.
 *
 * @module
 */
import type { NodeId } from "@synod/protocol";
import { parseAddress, type Address } from "../transport/address.js";

/** Exit code: success. */
export const EXIT_OK = 0;
/** Exit code: the operation failed (a check mismatched, a request was refused or timed out). */
export const EXIT_FAILURE = 1;
/** Exit code: bad arguments. */
export const EXIT_USAGE = 2;
/** Exit code: durable storage is damaged; the node refused to start. */
export const EXIT_STORAGE = 3;

/** A bad command-line value. The message says which option and what is wrong. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

const NODE_ID_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Check a node id (letters, digits, `_ . -`; at most 64 characters). */
export function parseNodeId(text: string, option: string): NodeId {
  if (!NODE_ID_RE.test(text)) throw new UsageError(`${option}: "${text}" is not a node id (letters, digits, _ . -; at most 64)`);
  return text;
}

/**
 * Parse `n1=127.0.0.1:7001,n2=127.0.0.1:7002,...`: distinct ids, distinct addresses.
 *
 * @example
 * parsePeers("n1=127.0.0.1:7001,n2=127.0.0.1:7002", "--peers").get("n2") // { host: "127.0.0.1", port: 7002 }
 */
export function parsePeers(text: string, option: string): Map<NodeId, Address> {
  const peers = new Map<NodeId, Address>();
  const seen = new Map<string, NodeId>();
  const entries = text.split(",").map((s) => s.trim());
  entries.forEach((entry, i) => {
    const where = `${option} entry ${i + 1} ("${entry}")`;
    const eq = entry.indexOf("=");
    if (eq <= 0) throw new UsageError(`${where}: expected id=host:port`);
    const id = parseNodeId(entry.slice(0, eq), where);
    let address: Address;
    try {
      address = parseAddress(entry.slice(eq + 1));
    } catch (err) {
      throw new UsageError(`${where}: ${(err as Error).message}`);
    }
    if (peers.has(id)) throw new UsageError(`${where}: node id ${id} appears twice`);
    const key = `${address.host}:${address.port}`;
    const other = seen.get(key);
    if (other !== undefined) throw new UsageError(`${where}: address ${key} is also ${other}'s`);
    seen.set(key, id);
    peers.set(id, address);
  });
  return peers;
}

/** Parse a comma-separated list of `host:port`. */
export function parseAddressList(text: string, option: string): Address[] {
  const entries = text.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (entries.length === 0) throw new UsageError(`${option}: expected host:port[,host:port...]`);
  return entries.map((entry, i) => {
    try {
      return parseAddress(entry);
    } catch (err) {
      throw new UsageError(`${option} entry ${i + 1}: ${(err as Error).message}`);
    }
  });
}

/** Parse a TCP port number. */
export function parsePort(text: string, option: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 65535) throw new UsageError(`${option}: "${text}" is not a port (1..65535)`);
  return n;
}

/** Parse a non-negative integer. */
export function parseCount(text: string, option: string, minInclusive = 0): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < minInclusive) {
    throw new UsageError(`${option}: "${text}" is not an integer >= ${minInclusive}`);
  }
  return n;
}

/**
 * Parse a duration: `500ms`, `5s`, `2m`, or a bare number of seconds.
 *
 * @example
 * parseDurationMs("1.5s", "--timeout") // 1500
 */
export function parseDurationMs(text: string, option: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!m) throw new UsageError(`${option}: "${text}" is not a duration (e.g. 500ms, 5s, 2m)`);
  const value = Number(m[1]);
  const unit = m[2] ?? "s";
  const ms = unit === "ms" ? value : unit === "s" ? value * 1000 : value * 60_000;
  if (ms <= 0) throw new UsageError(`${option}: the duration must be positive`);
  return Math.round(ms);
}

/** Parse `MIN-MAX` milliseconds, e.g. `150-300`, or one value `N` (MIN = MAX = N). */
export function parseRangeMs(text: string, option: string): [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text.trim());
  if (!m) throw new UsageError(`${option}: "${text}" is not MIN-MAX (or one value) in milliseconds (e.g. 150-300)`);
  const lo = Number(m[1]);
  const hi = Number(m[2] ?? m[1]);
  if (lo < 1 || hi < lo) throw new UsageError(`${option}: need 1 <= MIN <= MAX, got ${lo}-${hi}`);
  return [lo, hi];
}

/** The environment variable that gives the cluster's client addresses when `--cluster` is absent. */
export const CLUSTER_ENV = "SYNOD_CLUSTER";

/**
 * The cluster's client addresses: `--cluster` if given, else `$SYNOD_CLUSTER`, else a usage error
 * that names both.
 */
export function resolveCluster(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): Address[] {
  if (flag !== undefined) return parseAddressList(flag, "--cluster");
  const fromEnv = env[CLUSTER_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== "") return parseAddressList(fromEnv, CLUSTER_ENV);
  throw new UsageError(`no cluster given: pass --cluster host:port[,host:port...] or set ${CLUSTER_ENV}`);
}
