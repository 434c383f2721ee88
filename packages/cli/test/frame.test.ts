import { describe, expect, it } from "vitest";
import { FrameDecoder, FrameError, encodeFrame, parseAddress } from "../src/transport/index.js";

describe("frames", () => {
  it("reassembles frames split at every byte boundary", () => {
    const values = [{ a: 1 }, "two", [3, { four: null }], "ünïcödé ✓"];
    const bytes = Buffer.concat(values.map((v) => encodeFrame(v)));
    for (let split = 0; split <= bytes.length; split++) {
      const d = new FrameDecoder();
      const got = [...d.push(bytes.subarray(0, split)), ...d.push(bytes.subarray(split))];
      expect(got).toEqual(values);
    }
  });

  it("refuses an oversized declared length and a non-JSON body, naming the stream offset", () => {
    const d = new FrameDecoder(100);
    d.push(encodeFrame("ok"));
    const big = Buffer.alloc(4);
    big.writeUInt32BE(101);
    expect(() => d.push(big)).toThrow(FrameError);
    const d2 = new FrameDecoder();
    const ok = encodeFrame(1);
    const bad = Buffer.concat([Buffer.from([0, 0, 0, 3]), Buffer.from("{x]")]);
    expect(() => d2.push(Buffer.concat([ok, bad]))).toThrow(`frame at stream offset ${ok.length}: body is not JSON`);
  });
});

describe("addresses", () => {
  it("parses host:port and rejects the rest with the text in the message", () => {
    expect(parseAddress("127.0.0.1:7001")).toEqual({ host: "127.0.0.1", port: 7001 });
    expect(parseAddress("[::1]:80")).toEqual({ host: "::1", port: 80 });
    expect(() => parseAddress("127.0.0.1")).toThrow('"127.0.0.1" is not host:port');
    expect(() => parseAddress("h:70000")).toThrow(/outside 1..65535/);
  });
});
