/**
 * The on-disk framing shared by the write-ahead log and the snapshot file.
 *
 * A file starts with a 20-byte header: an 8-byte magic (`SYNODWAL` or `SYNODSNP`), a u32 format
 * version, a u32 generation, and the CRC-32 of those 16 bytes. Records follow, each a 12-byte
 * header (u32 payload length, u32 CRC-32 of the payload, u32 CRC-32 of the previous 8 bytes) and
 * the UTF-8 JSON payload. All integers are big-endian.
 *
 * The header CRC is what lets recovery tell a torn tail from corruption: a record whose header
 * checks out but whose payload runs past the end of the file was cut short by a crash, while a
 * header that fails its CRC with real bytes after it was damaged.
 *
 * @module
 */

import { crc32 } from "./crc32.js";
import { StorageCorruptionError } from "./errors.js";

/** Size of a file header in bytes. */
export const FILE_HEADER_BYTES = 20;
/** Size of a record header in bytes. */
export const RECORD_HEADER_BYTES = 12;
/** The largest payload a record may carry; a larger declared length is corruption. */
export const RECORD_PAYLOAD_BYTES_MAX = 256 * 1024 * 1024;
/** The format version written into every file header. */
export const FORMAT_VERSION = 1;

/** Which kind of file a header belongs to. */
export type FileKind = "wal" | "snapshot";

const MAGIC: Record<FileKind, string> = { wal: "SYNODWAL", snapshot: "SYNODSNP" };

/** Encode a file header for `kind` at `generation`. */
export function encodeFileHeader(kind: FileKind, generation: number): Buffer {
  const buf = Buffer.alloc(FILE_HEADER_BYTES);
  buf.write(MAGIC[kind], 0, "latin1");
  buf.writeUInt32BE(FORMAT_VERSION, 8);
  buf.writeUInt32BE(generation, 12);
  buf.writeUInt32BE(crc32(buf, 0, 16), 16);
  return buf;
}

/**
 * Check a file header and return its generation.
 *
 * @throws StorageCorruptionError when the header is short, has the wrong magic or version, fails
 *   its CRC, or names a different generation than the file name.
 */
export function decodeFileHeader(buf: Buffer, kind: FileKind, file: string, generationExpected: number): void {
  if (buf.length < FILE_HEADER_BYTES) {
    throw new StorageCorruptionError(file, 0, `file is ${buf.length} bytes, shorter than the ${FILE_HEADER_BYTES}-byte header`);
  }
  const magic = buf.toString("latin1", 0, 8);
  if (magic !== MAGIC[kind]) {
    throw new StorageCorruptionError(file, 0, `not a Synod ${kind} file (magic ${JSON.stringify(magic)}, expected ${JSON.stringify(MAGIC[kind])})`);
  }
  if (crc32(buf, 0, 16) !== buf.readUInt32BE(16)) {
    throw new StorageCorruptionError(file, 16, "file header CRC mismatch");
  }
  const version = buf.readUInt32BE(8);
  if (version !== FORMAT_VERSION) {
    throw new StorageCorruptionError(file, 8, `unsupported format version ${version} (this build reads ${FORMAT_VERSION})`);
  }
  const generation = buf.readUInt32BE(12);
  if (generation !== generationExpected) {
    throw new StorageCorruptionError(file, 12, `header says generation ${generation}, file name says ${generationExpected}`);
  }
}

/** Encode one record around a JSON-serialisable payload. */
export function encodeRecord(payload: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(payload), "utf8");
  const buf = Buffer.alloc(RECORD_HEADER_BYTES + body.length);
  buf.writeUInt32BE(body.length, 0);
  buf.writeUInt32BE(crc32(body), 4);
  buf.writeUInt32BE(crc32(buf, 0, 8), 8);
  body.copy(buf, RECORD_HEADER_BYTES);
  return buf;
}

/** A record found by {@link scanRecords}. */
export interface ScannedRecord {
  /** Byte offset of the record header in the file. */
  offset: number;
  payload: unknown;
}

/** Why the end of a file was judged torn rather than corrupt. */
export type TornReason =
  | "short-header"
  | "zero-fill"
  | "unwritten-header"
  | "short-payload"
  | "unwritten-payload";

/** The outcome of scanning a file's records. */
export interface ScanResult {
  records: ScannedRecord[];
  /** Offset just past the last good record: where the next append goes. */
  validEndOffset: number;
  /** Present when bytes after `validEndOffset` are the remains of an interrupted append. */
  torn?: { reason: TornReason; bytesDropped: number };
}

/**
 * Read the records of `buf` from `start`, telling a torn tail (dropped) from corruption (thrown).
 *
 * A tail is torn when the bytes after the last good record are: shorter than a record header; all
 * zero (the file grew but its blocks were never written); a header failing its CRC with no valid
 * record anywhere after it and NUL bytes where its payload would be; a valid header whose payload
 * runs past the end; or the final record with a CRC mismatch whose payload contains NUL bytes. JSON
 * never contains a NUL byte, so NULs in a payload are blocks that were never written. Anything else
 * that fails a check is corruption, because it could be a record that was fsync'd and acknowledged.
 *
 * @throws StorageCorruptionError naming `file` and the offset of the bad record.
 */
export function scanRecords(buf: Buffer, start: number, file: string): ScanResult {
  const records: ScannedRecord[] = [];
  let offset = start;
  const torn = (reason: TornReason): ScanResult => ({
    records,
    validEndOffset: offset,
    torn: { reason, bytesDropped: buf.length - offset },
  });
  while (offset < buf.length) {
    const remaining = buf.length - offset;
    if (remaining < RECORD_HEADER_BYTES) {
      return torn(allZero(buf, offset) ? "zero-fill" : "short-header");
    }
    const length = buf.readUInt32BE(offset);
    const payloadCrc = buf.readUInt32BE(offset + 4);
    if (crc32(buf, offset, offset + 8) !== buf.readUInt32BE(offset + 8)) {
      if (allZero(buf, offset)) return torn("zero-fill");
      // The header straddled blocks and only the first was written: nothing valid can follow.
      const payloadArea = buf.subarray(offset + RECORD_HEADER_BYTES);
      if (payloadArea.includes(0) && validRecordAfter(buf, offset + 1) === null) return torn("unwritten-header");
      throw new StorageCorruptionError(file, offset, "record header CRC mismatch (not a torn tail: data follows)");
    }
    if (length > RECORD_PAYLOAD_BYTES_MAX) {
      throw new StorageCorruptionError(file, offset, `record declares ${length} payload bytes, more than the ${RECORD_PAYLOAD_BYTES_MAX} maximum`);
    }
    const payloadStart = offset + RECORD_HEADER_BYTES;
    const payloadEnd = payloadStart + length;
    if (payloadEnd > buf.length) return torn("short-payload");
    if (crc32(buf, payloadStart, payloadEnd) !== payloadCrc) {
      const isLast = payloadEnd === buf.length;
      if (isLast && buf.subarray(payloadStart, payloadEnd).includes(0)) return torn("unwritten-payload");
      throw new StorageCorruptionError(
        file,
        offset,
        isLast ? "payload CRC mismatch in the last record (damaged, not torn: no unwritten blocks)" : "payload CRC mismatch before the end of the file",
      );
    }
    let payload: unknown;
    try {
      payload = JSON.parse(buf.toString("utf8", payloadStart, payloadEnd));
    } catch (err) {
      throw new StorageCorruptionError(file, offset, `record payload is not JSON although its CRC matches (${(err as Error).message})`);
    }
    records.push({ offset, payload });
    offset = payloadEnd;
  }
  return { records, validEndOffset: offset };
}

/** The offset of the first complete, valid record at or after `from`, or null. */
function validRecordAfter(buf: Buffer, from: number): number | null {
  for (let o = from; o + RECORD_HEADER_BYTES <= buf.length; o++) {
    if (crc32(buf, o, o + 8) !== buf.readUInt32BE(o + 8)) continue;
    const end = o + RECORD_HEADER_BYTES + buf.readUInt32BE(o);
    if (end <= buf.length && crc32(buf, o + RECORD_HEADER_BYTES, end) === buf.readUInt32BE(o + 4)) return o;
  }
  return null;
}

function allZero(buf: Buffer, from: number): boolean {
  for (let i = from; i < buf.length; i++) if (buf[i] !== 0) return false;
  return true;
}
