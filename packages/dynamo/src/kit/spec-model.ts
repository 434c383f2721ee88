/**
 * Where Dynamo's specs live and how the kit loads them: `DynamoMsg.tla` (single message
 * deliveries, strict or sloppy quorums; replay, coverage and trace validation) through
 * `MCDynamoMsg.tla`, with a cfg written for each check's bounds; `Dynamo.tla` (round trips, sloppy
 * quorums, failures) is checked by TLC and by the package's own round-trip replay.
 *
 * @module
 */
import { loadSpec, specDirNear, type LoadedSpec } from "@synod/conformance";

/** The spec folder, relative to the checkout. */
export const SPEC_DIR = "specs/dynamo";

/** The servers of the strict kit models (also the implementation's node ids). */
export const SPEC_SERVERS: readonly string[] = ["s1", "s2", "s3"];

/**
 * The servers of the sloppy models: s4 is the next node of the key's ring walk, s3, s1, s2, s4 on
 * the implementation's ring (`RingWalk` of `MCDynamoMsg.tla`; a package test holds the two alike).
 */
export const SLOPPY_SERVERS: readonly string[] = ["s1", "s2", "s3", "s4"];

/** The key's preference list (N = 3) in every model. */
export const SPEC_OWNERS: readonly string[] = ["s1", "s2", "s3"];

/** Whether a loaded model is a sloppy one (its servers are {@link SLOPPY_SERVERS}). */
export function isSloppy(spec: LoadedSpec): boolean {
  return spec.servers.length === SLOPPY_SERVERS.length;
}

/** Bounds of a `MCDynamoMsg.tla` model (N = 3 of 3 servers, or of 4 when sloppy; R = W = 2 unless said). */
export interface MsgModel {
  /** Sloppy quorums with hinted handoff, on {@link SLOPPY_SERVERS} (default: strict, 3 servers). */
  sloppy?: boolean;
  r?: number;
  w?: number;
  puts: number;
  gets: number;
  /** A CONSTRAINT on the messages sent, and on anti-entropy's among them (absent: none). */
  maxMsgs?: number;
  maxAe?: number;
  countTwice?: boolean;
  /** Use the server symmetry (as TLC's CI models do). */
  symmetry?: boolean;
}

/** The cfg text of a model. */
export function msgCfg(m: MsgModel): string {
  const bounded = m.maxMsgs !== undefined;
  const sloppy = m.sloppy === true;
  if (sloppy && m.symmetry === true) throw new Error("MsgModel: the sloppy models read the ring walk, so they have no server symmetry");
  return [
    "CONSTANTS s1 = s1 s2 = s2 s3 = s3 s4 = s4",
    sloppy ? "Server = {s1, s2, s3, s4}" : "Server = {s1, s2, s3}",
    "Owners = {s1, s2, s3}",
    "Walk <- RingWalk",
    `Sloppy = ${sloppy ? "TRUE" : "FALSE"}`,
    `R = ${m.r ?? 2} W = ${m.w ?? 2}`,
    `CountTwice = ${m.countTwice === true ? "TRUE" : "FALSE"}`,
    `MaxPuts = ${m.puts} MaxGets = ${m.gets}`,
    `MaxMsgs = ${m.maxMsgs ?? 0} MaxAe = ${m.maxAe ?? 0}`,
    "INIT Init NEXT Next",
    bounded ? "CONSTRAINT MsgBound" : "",
    m.symmetry === true ? "SYMMETRY ServerSymmetry" : "",
    "CHECK_DEADLOCK FALSE",
  ].join("\n");
}

/** Load `MCDynamoMsg.tla` with the bounds `m`. */
export function loadMsgSpec(m: MsgModel): Promise<LoadedSpec> {
  return loadSpec({ dir: specDirNear(import.meta.url, SPEC_DIR), module: "MCDynamoMsg.tla", cfg: msgCfg(m), cfgName: `MCDynamoMsg.tla (${m.sloppy === true ? "sloppy, " : ""}R = ${m.r ?? 2}, W = ${m.w ?? 2}, ${m.puts} puts, ${m.gets} gets)`, servers: m.sloppy === true ? SLOPPY_SERVERS : SPEC_SERVERS });
}
