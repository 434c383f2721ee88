/**
 * Hybrid logical clocks (Kulkarni, Demirbas et al., "Logical Physical Clocks", 2014): a stamp is
 * the largest physical time heard of (`wallMs`) and a counter (`logical`) that orders events
 * within one millisecond. Stamps respect causality (an event after another, here or anywhere
 * it was heard of, gets a larger stamp) and stay within the clock skew of physical time.
 * Pure functions: physical time is an argument, never read from a clock.
 *
 * @module
 */
import { CrdtInputError, expectInt, expectKeys, expectObject, type Json } from "./json.js";

/** A hybrid logical clock stamp. Ordered by `wallMs`, then `logical`. */
export interface HlcStamp {
  /** The largest physical time (ms) this clock has heard of. */
  readonly wallMs: number;
  /** Events at that `wallMs`, counted. */
  readonly logical: number;
}

/** The least stamp. */
export const hlcZero: HlcStamp = { wallMs: 0, logical: 0 };

/** Negative, zero or positive as `a` is before, equal to or after `b`. */
export function compareHlc(a: HlcStamp, b: HlcStamp): number {
  return a.wallMs - b.wallMs || a.logical - b.logical;
}

/** The larger of two stamps. */
export function maxHlc(a: HlcStamp, b: HlcStamp): HlcStamp {
  return compareHlc(a, b) >= 0 ? a : b;
}

/**
 * The stamp of a local or send event at a clock whose last stamp is `last`, physical time
 * `nowMs`: larger than `last`, and equal to `nowMs` with logical 0 when physical time is ahead.
 * @throws CrdtInputError for a `nowMs` that is not a non-negative integer
 */
export function hlcTick(last: HlcStamp, nowMs: number): HlcStamp {
  expectInt(nowMs, "hlc nowMs");
  if (nowMs > last.wallMs) return { wallMs: nowMs, logical: 0 };
  return { wallMs: last.wallMs, logical: last.logical + 1 };
}

/**
 * The stamp of a receive event: after both the local clock's `last` and the `remote` stamp.
 * With `maxDriftMs`, a remote stamp further ahead of `nowMs` than that is refused (a peer's
 * clock gone wrong would otherwise drag every clock with it).
 * @throws CrdtInputError when the remote stamp is too far ahead
 */
export function hlcReceive(last: HlcStamp, remote: HlcStamp, nowMs: number, maxDriftMs?: number): HlcStamp {
  expectInt(nowMs, "hlc nowMs");
  if (maxDriftMs !== undefined && remote.wallMs - nowMs > maxDriftMs) {
    throw new CrdtInputError("hlc receive", `remote stamp ${remote.wallMs} ms is ${remote.wallMs - nowMs} ms ahead of physical time ${nowMs} ms (more than ${maxDriftMs} ms)`);
  }
  const wallMs = Math.max(last.wallMs, remote.wallMs, nowMs);
  let logical = 0;
  if (wallMs === last.wallMs && wallMs === remote.wallMs) logical = Math.max(last.logical, remote.logical) + 1;
  else if (wallMs === last.wallMs) logical = last.logical + 1;
  else if (wallMs === remote.wallMs) logical = remote.logical + 1;
  return { wallMs, logical };
}

/** The JSON form `{ wallMs, logical }`. */
export function hlcToJson(s: HlcStamp): Json {
  return { logical: s.logical, wallMs: s.wallMs };
}

/**
 * A stamp from JSON.
 * @throws CrdtInputError naming `where`
 */
export function hlcFromJson(json: unknown, where: string): HlcStamp {
  const o = expectObject(json, where);
  expectKeys(o, ["wallMs", "logical"], where);
  return { wallMs: expectInt(o.wallMs, `${where}.wallMs`), logical: expectInt(o.logical, `${where}.logical`) };
}
