/**
 * The checksums pcal.trans writes on the `\* BEGIN TRANSLATION` line:
 * `(chksum(pcal) = "..." /\ chksum(tla) = "...")`. Each is the CRC-32 (java.util.zip.CRC32)
 * of a UTF-8 string, in lower-case hex without leading zeros: for `pcal`, the algorithm's tree
 * as pcal.trans prints it (or the word `fair` for a `--fair algorithm`, a pcal.trans quirk);
 * for `tla`, the translation's lines concatenated without line ends.
 *
 * @module
 */

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 of the UTF-8 encoding of `s`, as Java's `Long.toHexString(crc.getValue())`. */
export function checksum(s: string): string {
  let c = 0xffffffff;
  for (const b of new TextEncoder().encode(s)) c = TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return ((c ^ 0xffffffff) >>> 0).toString(16);
}

/** The checksum of translation lines (concatenated). */
export function checksumLines(lines: readonly string[]): string {
  return checksum(lines.join(""));
}

/** pcal.trans's checksum template, with the two values. */
export function checksumTemplate(pcal: string, tla: string): string {
  return `(chksum(pcal) = "${pcal}" /\\ chksum(tla) = "${tla}")`;
}

/** The template that disables checking (the Toolbox writes it when asked not to check). */
export const CHECKSUM_TEMPLATE_IGNORE = "(chksum(pcal) \\in STRING /\\ chksum(tla) \\in STRING)";

// pcal.trans's pattern, with its case-insensitive parts spelled out (JavaScript has no (?i) groups).
const CHK = "[cC][hH](?:[eE][cC])?[kK][sS][uU][mM]";
const CHECKSUM_PATTERN = new RegExp(
  String.raw`\\\* BEGIN TRANSLATION\s+\(\s*(${CHK}\([pP](?:[lL][uU][sS])?[cC][aA][lL]\))\s*(=\s*"(?<pcal>[0-9A-Fa-f]*)"|\\in\s*STRING)\s*\/\\\s*(${CHK}\([tT][lL][aA]\+?\))\s*(=\s*"(?<tla>[0-9A-Fa-f]*)"|\\in\s*STRING)\s*\)`,
  "d",
);

/** The checksums on a BEGIN TRANSLATION line, with their positions; null when the line has none. */
export interface ChecksumMatch {
  pcal: { value: string; start: number; end: number } | null;
  tla: { value: string; start: number; end: number } | null;
}

/** Reads the checksums of a BEGIN TRANSLATION line (either may be `\in STRING`: not checked). */
export function matchChecksums(line: string): ChecksumMatch | null {
  const m = CHECKSUM_PATTERN.exec(line);
  if (!m) return null;
  const group = (name: "pcal" | "tla") => {
    const v = m.groups?.[name];
    const idx = m.indices?.groups?.[name];
    return v === undefined || !idx ? null : { value: v, start: idx[0], end: idx[1] };
  };
  return { pcal: group("pcal"), tla: group("tla") };
}
