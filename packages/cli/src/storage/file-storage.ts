/**
 * File-backed durable storage for a node's flat `DurableWrite` key space: a snapshot plus an
 * append-only write-ahead log, fsync'd before {@link FileStorage.append} returns.
 *
 * Files in the data directory, for the current generation `g` (1 for a new directory):
 * - `snap-<g>.snap`: the whole key space at the moment generation `g` began;
 * - `wal-<g>.log`: one record per `append` call since then (a JSON array of writes).
 *
 * Starting a generation (a new directory, or compaction) writes an empty `wal-<g+1>` (temp file,
 * fsync, rename, fsync dir), then `snap-<g+1>` the same way, then deletes generation `g`. A crash
 * at any point leaves a directory recovery reads correctly, and any other shape is refused: the
 * only state with a snapshot but no WAL, or a WAL but no snapshot, that a crash can leave is an
 * EMPTY newest WAL without its snapshot, next to a complete older generation. So a lost WAL or
 * snapshot is always noticed, and only a directory with no storage files at all starts fresh.
 *
 * @module
 */

import fs from "node:fs";
import path from "node:path";
import type { DurableWrite, Json } from "@synod/protocol";
import { lockDataDir } from "./dir-lock.js";
import { StorageCorruptionError } from "./errors.js";
import {
  FILE_HEADER_BYTES,
  decodeFileHeader,
  encodeFileHeader,
  encodeRecord,
  scanRecords,
  type TornReason,
} from "./record.js";

/** Options for {@link FileStorage.open}. */
export interface FileStorageOptions {
  /** The node's data directory; created if missing. */
  dir: string;
  /** Compact when the WAL grows past this many bytes (default 8 MiB). */
  compactWalBytesMin?: number;
  /** Where recovery notes go (a dropped torn tail, removed leftovers). Default: stderr. */
  log?: (line: string) => void;
}

/** What recovery found, for logs and tests. */
export interface RecoveryReport {
  /** The generation recovered (1 for a new directory, plus one per compaction). */
  generation: number;
  /** Keys loaded from the snapshot. */
  snapshotKeys: number;
  /** WAL records replayed on top of the snapshot. */
  walRecords: number;
  /** Set when an interrupted append was cut off the end of the WAL. */
  tornTail?: { file: string; offset: number; bytesDropped: number; reason: TornReason };
  /** Files of older generations or unfinished temp files that were removed. */
  removed: string[];
}

const SNAP_RE = /^snap-(\d+)\.snap$/;
const WAL_RE = /^wal-(\d+)\.log$/;
const DEFAULT_COMPACT_WAL_BYTES_MIN = 8 * 1024 * 1024;

/** Durable key-value storage with a write-ahead log; see the module comment for the layout. */
export class FileStorage {
  /** What recovery found when this storage was opened. */
  readonly recovery: RecoveryReport;
  private readonly dir: string;
  private readonly compactWalBytesMin: number;
  private readonly entries: Map<string, Json>;
  private generation: number;
  private walFd: number;
  private walBytes: number;
  private closed = false;

  private constructor(
    options: FileStorageOptions,
    recovered: Recovered,
    private readonly unlock: () => void,
  ) {
    this.dir = options.dir;
    this.compactWalBytesMin = options.compactWalBytesMin ?? DEFAULT_COMPACT_WAL_BYTES_MIN;
    this.entries = recovered.entries;
    this.generation = recovered.report.generation;
    this.walFd = recovered.walFd;
    this.walBytes = recovered.walBytes;
    this.recovery = recovered.report;
  }

  /**
   * Open (and recover) the storage in `options.dir`.
   *
   * @throws StorageCorruptionError when the files cannot be trusted; the node must not start.
   * @throws DataDirLockedError when another live process (or open storage) holds the directory.
   */
  static open(options: FileStorageOptions): FileStorage {
    fs.mkdirSync(options.dir, { recursive: true });
    const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
    const unlock = lockDataDir(options.dir);
    try {
      return new FileStorage(options, recover(options.dir, log), unlock);
    } catch (err) {
      unlock();
      throw err;
    }
  }

  /** The current key space (after every completed `append`). */
  get state(): ReadonlyMap<string, Json> {
    return this.entries;
  }

  /** The current generation number (increases by one per compaction). */
  get currentGeneration(): number {
    return this.generation;
  }

  /** Current size of the WAL file in bytes. */
  get walSizeBytes(): number {
    return this.walBytes;
  }

  /**
   * Append `writes` as one record and fsync. When this returns the writes survive a crash; when it
   * throws, the host must stop (the file may hold a partial record, which recovery will drop).
   */
  append(writes: readonly DurableWrite[]): void {
    this.assertOpen();
    if (writes.length === 0) return;
    for (const w of writes) validateWrite(w, "append");
    const record = encodeRecord(writes);
    writeAll(this.walFd, record, this.walBytes);
    fs.fdatasyncSync(this.walFd);
    this.walBytes += record.length;
    for (const w of writes) applyWrite(this.entries, w);
  }

  /** Compact if the WAL has grown past the threshold; returns whether it did. */
  maybeCompact(): boolean {
    if (this.walBytes < this.compactWalBytesMin) return false;
    this.compact();
    return true;
  }

  /** Write the current key space as a new snapshot and start an empty WAL on top of it. */
  compact(): void {
    this.assertOpen();
    const next = this.generation + 1;
    writeGeneration(this.dir, next, this.entries);
    fs.closeSync(this.walFd);
    this.walFd = fs.openSync(path.join(this.dir, walName(next)), "r+");
    this.walBytes = FILE_HEADER_BYTES;
    const previous = this.generation;
    this.generation = next;
    for (const name of [walName(previous), snapName(previous)]) fs.rmSync(path.join(this.dir, name), { force: true });
    fsyncDir(this.dir);
  }

  /** Close the WAL file. Further calls throw. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    fs.closeSync(this.walFd);
    this.unlock();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error("FileStorage is closed");
  }
}

interface Recovered {
  entries: Map<string, Json>;
  walFd: number;
  walBytes: number;
  report: RecoveryReport;
}

function recover(dir: string, log: (line: string) => void): Recovered {
  const names = fs.readdirSync(dir);
  const removed: string[] = [];
  for (const name of names) {
    if (name.endsWith(".tmp")) {
      // A temp file is only renamed into place after its fsync; one left over was never committed.
      fs.rmSync(path.join(dir, name), { force: true });
      removed.push(name);
    }
  }
  const snaps = generationsOf(names, SNAP_RE);
  const wals = generationsOf(names, WAL_RE);
  const entries = new Map<string, Json>();
  if (snaps.length === 0 && wals.length === 0) {
    // No storage files at all: a new node.
    writeGeneration(dir, 1, entries);
    snaps.push(1);
    wals.push(1);
  }
  let generation = Math.max(...snaps, ...wals);
  if (!snaps.includes(generation) && isCompactionLeftover(dir, generation, snaps, wals)) {
    // The crash came between the new generation's WAL and its snapshot: the old one is whole.
    removed.push(removeFile(dir, walName(generation)));
    wals.splice(wals.indexOf(generation), 1);
    generation -= 1;
  }
  const walPath = path.join(dir, walName(generation));
  if (!snaps.includes(generation)) {
    throw new StorageCorruptionError(walPath, 0, `this WAL continues snapshot ${snapName(generation)}, which is missing; refusing to start without it`);
  }
  if (!wals.includes(generation)) {
    throw new StorageCorruptionError(
      walPath,
      0,
      `missing: snapshot ${snapName(generation)} is there but its WAL is not (no crash leaves that); refusing to start without it`,
    );
  }
  const snapshotKeys = loadSnapshot(path.join(dir, snapName(generation)), generation, entries);
  const buf = fs.readFileSync(walPath);
  decodeFileHeader(buf, "wal", walPath, generation);
  const scan = scanRecords(buf, FILE_HEADER_BYTES, walPath);
  scan.records.forEach((record, i) => {
    if (!Array.isArray(record.payload)) {
      throw new StorageCorruptionError(walPath, record.offset, `WAL record ${i} is not an array of writes`);
    }
    for (const w of record.payload) {
      validateWrite(w, `${walPath}: offset ${record.offset}: WAL record ${i}`, walPath, record.offset);
      applyWrite(entries, w);
    }
  });
  const walFd = fs.openSync(walPath, "r+");
  let tornTail: RecoveryReport["tornTail"];
  if (scan.torn) {
    // Never acknowledged: fsync had not returned, so no message that depended on it was sent.
    fs.ftruncateSync(walFd, scan.validEndOffset);
    fs.fsyncSync(walFd);
    tornTail = { file: walPath, offset: scan.validEndOffset, bytesDropped: scan.torn.bytesDropped, reason: scan.torn.reason };
    log(`storage: ${walPath}: offset ${scan.validEndOffset}: dropped a torn tail of ${scan.torn.bytesDropped} bytes (${scan.torn.reason}); it was never acknowledged`);
  }
  for (const g of snaps) if (g < generation) removed.push(removeFile(dir, snapName(g)));
  for (const g of wals) if (g < generation) removed.push(removeFile(dir, walName(g)));
  if (removed.length > 0) fsyncDir(dir);
  return {
    entries,
    walFd,
    walBytes: scan.validEndOffset,
    report: { generation, snapshotKeys, walRecords: scan.records.length, tornTail, removed },
  };
}

/** True when `wal-<g>` is header-only, `snap-<g>` is absent and generation g-1 is complete. */
function isCompactionLeftover(dir: string, generation: number, snaps: number[], wals: number[]): boolean {
  if (!wals.includes(generation) || generation < 2) return false;
  if (!wals.includes(generation - 1) || !snaps.includes(generation - 1)) return false;
  return fs.statSync(path.join(dir, walName(generation))).size === FILE_HEADER_BYTES;
}

/** Start generation `g` holding `entries`: empty WAL first, then the snapshot (see the module comment). */
function writeGeneration(dir: string, generation: number, entries: ReadonlyMap<string, Json>): void {
  writeFileDurably(dir, walName(generation), encodeFileHeader("wal", generation));
  const snapshot = Buffer.concat([encodeFileHeader("snapshot", generation), encodeRecord({ entries: [...entries] })]);
  writeFileDurably(dir, snapName(generation), snapshot);
}

function loadSnapshot(file: string, generation: number, into: Map<string, Json>): number {
  const buf = fs.readFileSync(file);
  decodeFileHeader(buf, "snapshot", file, generation);
  const scan = scanRecords(buf, FILE_HEADER_BYTES, file);
  // A snapshot is renamed into place only after its fsync, so any tear in it is corruption.
  if (scan.torn || scan.records.length !== 1) {
    throw new StorageCorruptionError(file, scan.validEndOffset, "snapshot is incomplete (expected exactly one whole record)");
  }
  const record = scan.records[0]!;
  const payload = record.payload as { entries?: unknown };
  if (typeof payload !== "object" || payload === null || !Array.isArray(payload.entries)) {
    throw new StorageCorruptionError(file, record.offset, "snapshot record has no entries array");
  }
  payload.entries.forEach((entry: unknown, i: number) => {
    if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== "string") {
      throw new StorageCorruptionError(file, record.offset, `snapshot entry ${i} is not a [key, value] pair`);
    }
    into.set(entry[0], entry[1] as Json);
  });
  return payload.entries.length;
}

function validateWrite(w: unknown, where: string, file?: string, offset?: number): asserts w is DurableWrite {
  const ok =
    typeof w === "object" &&
    w !== null &&
    typeof (w as { key?: unknown }).key === "string" &&
    ("value" in w ? (w as { value?: unknown }).value !== undefined : (w as { delete?: unknown }).delete === true);
  if (ok) return;
  const problem = `not a durable write ({key, value} or {key, delete: true}): ${JSON.stringify(w)?.slice(0, 200)}`;
  if (file !== undefined) throw new StorageCorruptionError(file, offset ?? 0, problem);
  throw new TypeError(`${where}: ${problem}`);
}

function applyWrite(entries: Map<string, Json>, w: DurableWrite): void {
  if ("delete" in w) entries.delete(w.key);
  else entries.set(w.key, w.value);
}

function generationsOf(names: string[], re: RegExp): number[] {
  const out: number[] = [];
  for (const name of names) {
    const m = re.exec(name);
    if (m) out.push(Number(m[1]));
  }
  return out;
}

function snapName(generation: number): string {
  return `snap-${String(generation).padStart(10, "0")}.snap`;
}

function walName(generation: number): string {
  return `wal-${String(generation).padStart(10, "0")}.log`;
}

function removeFile(dir: string, name: string): string {
  fs.rmSync(path.join(dir, name), { force: true });
  return name;
}

function writeAll(fd: number, buf: Buffer, position: number): void {
  let written = 0;
  while (written < buf.length) written += fs.writeSync(fd, buf, written, buf.length - written, position + written);
}

/** Write a whole file so it appears atomically: temp file, fsync, rename, fsync the directory. */
function writeFileDurably(dir: string, name: string, contents: Buffer): void {
  const tmp = path.join(dir, `${name}.tmp`);
  const fd = fs.openSync(tmp, "w");
  try {
    writeAll(fd, contents, 0);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, path.join(dir, name));
  fsyncDir(dir);
}

function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
