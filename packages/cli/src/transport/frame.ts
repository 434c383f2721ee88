/**
 * Length-prefixed JSON frames: a u32 big-endian byte length, then that many bytes of UTF-8 JSON.
 *
 * @module
 */

/** Frames larger than this are refused (a peer sending one is broken or hostile). */
export const FRAME_BYTES_MAX = 16 * 1024 * 1024;

/** A frame that cannot be decoded; the connection it came from must be closed. */
export class FrameError extends Error {
  /** Byte offset of the bad frame in the connection's stream. */
  readonly streamOffset: number;
  constructor(streamOffset: number, problem: string) {
    super(`frame at stream offset ${streamOffset}: ${problem}`);
    this.name = "FrameError";
    this.streamOffset = streamOffset;
  }
}

/** Encode one value as a frame. */
export function encodeFrame(value: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(value), "utf8");
  if (body.length > FRAME_BYTES_MAX) throw new RangeError(`frame of ${body.length} bytes exceeds ${FRAME_BYTES_MAX}`);
  const header = Buffer.alloc(4);
  header.writeUInt32BE(body.length, 0);
  return Buffer.concat([header, body]);
}

/** Reassembles frames from a byte stream that arrives in arbitrary chunks. */
export class FrameDecoder {
  private buffered: Buffer = Buffer.alloc(0);
  private consumedBytes = 0;

  constructor(private readonly frameBytesMax = FRAME_BYTES_MAX) {}

  /**
   * Add a chunk; return the values of every frame it completed.
   *
   * @throws FrameError on an oversized frame or a body that is not JSON.
   */
  push(chunk: Buffer): unknown[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const out: unknown[] = [];
    let offset = 0;
    while (this.buffered.length - offset >= 4) {
      const length = this.buffered.readUInt32BE(offset);
      if (length > this.frameBytesMax) {
        throw new FrameError(this.consumedBytes + offset, `declared length ${length} exceeds ${this.frameBytesMax} bytes`);
      }
      if (this.buffered.length - offset - 4 < length) break;
      const text = this.buffered.toString("utf8", offset + 4, offset + 4 + length);
      try {
        out.push(JSON.parse(text));
      } catch (err) {
        throw new FrameError(this.consumedBytes + offset, `body is not JSON (${(err as Error).message})`);
      }
      offset += 4 + length;
    }
    this.consumedBytes += offset;
    this.buffered = this.buffered.subarray(offset);
    return out;
  }
}
