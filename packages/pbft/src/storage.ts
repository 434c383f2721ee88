/**
 * What a replica keeps on disk, and reading it back after a restart. One key per concern, as
 * etcd keeps its hard state apart from its log:
 *
 * - `view`: the view and whether it is active (a replica never goes back to an older view, and a
 *   restarted replica that was changing view sends its view change again);
 * - `ckpt`: the latest stable checkpoint it holds the state of: sequence number, digest, proof
 *   (2f + 1 signed checkpoints) and the state snapshot;
 * - `slot/<n>`: per sequence number above it, the pre-prepare accepted in the latest view, the
 *   latest prepared certificate, the pre-prepared (Q) claims and whether it committed. These are
 *   what its view changes claim, so losing them would let it deny a prepared certificate.
 *
 * @module
 */
import type { Json } from "@synod/protocol";
import { checkCheckpoint, checkRequest } from "./messages.js";
import type { CheckpointMsg } from "./messages.js";
import type { SignedRequest } from "./types.js";

/** Durable key of the view. */
export const VIEW_KEY = "view";
/** Durable key of the stable checkpoint. */
export const CKPT_KEY = "ckpt";
/** Durable key of sequence number `n`'s slot. */
export function slotKey(n: number): string {
  return `slot/${n}`;
}

/** Durable storage did not hold what a replica wrote: names the key and the problem. */
export class PbftStorageError extends Error {
  override readonly name = "PbftStorageError";
}

/** A slot as stored. */
export interface StoredSlot {
  pp: { view: number; digest: string; batch: SignedRequest[] } | null;
  prepared: { view: number; digest: string; batch: SignedRequest[] } | null;
  /** Pre-prepared claims: `[digest, view]`, the latest view per digest. */
  q: [string, number][];
  committed: boolean;
  /** The replicas whose prepares made the prepared certificate (conformance evidence). */
  preparedBy?: string[];
}

/** What a restarted replica finds. */
export interface Recovered {
  view: number;
  active: boolean;
  ckpt: { seq: number; digest: string; proof: CheckpointMsg[]; snapshot: Json } | null;
  slots: Map<number, StoredSlot>;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function batchOk(b: unknown): boolean {
  return Array.isArray(b) && b.every((r) => checkRequest(r) === null);
}

function entryOk(e: unknown): boolean {
  return e === null || (isObject(e) && Number.isSafeInteger(e.view) && typeof e.digest === "string" && batchOk(e.batch));
}

/** Read durable state; `null` for a replica that never wrote any. Throws {@link PbftStorageError} on corrupt state. */
export function recover(durable: ReadonlyMap<string, Json>): Recovered | null {
  const v = durable.get(VIEW_KEY);
  if (v === undefined) return null;
  if (!isObject(v) || !Number.isSafeInteger(v.view) || typeof v.active !== "boolean") throw new PbftStorageError(`${VIEW_KEY}: expected { view, active }, got ${JSON.stringify(v)}`);
  let ckpt: Recovered["ckpt"] = null;
  const c = durable.get(CKPT_KEY);
  if (c !== undefined) {
    if (!isObject(c) || !Number.isSafeInteger(c.seq) || typeof c.digest !== "string" || !Array.isArray(c.proof) || c.snapshot === undefined) {
      throw new PbftStorageError(`${CKPT_KEY}: expected { seq, digest, proof, snapshot }`);
    }
    c.proof.forEach((m, k) => {
      const bad = checkCheckpoint(m);
      if (bad !== null) throw new PbftStorageError(`${CKPT_KEY}.proof[${k}]: ${bad}`);
    });
    ckpt = { seq: c.seq as number, digest: c.digest, proof: c.proof as unknown as CheckpointMsg[], snapshot: c.snapshot };
  }
  const slots = new Map<number, StoredSlot>();
  for (const [key, value] of durable) {
    if (!key.startsWith("slot/")) continue;
    const n = Number(key.slice(5));
    if (!Number.isSafeInteger(n) || n < 1) throw new PbftStorageError(`${key}: not a sequence number`);
    if (!isObject(value) || !entryOk(value.pp) || !entryOk(value.prepared) || !Array.isArray(value.q) || typeof value.committed !== "boolean") {
      throw new PbftStorageError(`${key}: expected { pp, prepared, q, committed }`);
    }
    slots.set(n, value as unknown as StoredSlot);
  }
  return { view: v.view as number, active: v.active, ckpt, slots };
}
