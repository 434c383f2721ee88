/**
 * Plain data values as they appear in histories, whichever format they were read from.
 *
 * EDN keywords become strings without the colon (`:timed-out` is `"timed-out"`), EDN sets and
 * lists become arrays, maps become objects with their keys printed as strings.
 */
export type Value = null | boolean | number | string | readonly Value[] | { readonly [key: string]: Value };

/**
 * A canonical string for a value: two values are equal exactly when their keys are equal.
 * Object keys are sorted so that `{a:1,b:2}` and `{b:2,a:1}` agree.
 */
export function valueKey(value: Value | undefined): string {
  if (value === undefined) return "?";
  if (value === null) return "nil";
  switch (typeof value) {
    case "number":
      return Number.isInteger(value) ? String(value) : `f${value}`;
    case "string":
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    default:
      break;
  }
  if (Array.isArray(value)) {
    const parts: string[] = [];
    for (const item of value as readonly Value[]) parts.push(valueKey(item));
    return `[${parts.join(",")}]`;
  }
  const record = value as { readonly [key: string]: Value };
  const keys = Object.keys(record).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${valueKey(record[k])}`).join(",")}}`;
}

/** FNV-1a over a string's UTF-16 code units, continuing from `h`. */
function fnv(s: string, h: number): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

/**
 * A 32-bit hash consistent with {@link valueEqual} (equal values hash equally), computed without
 * building {@link valueKey}'s string: the checker hashes a state at every step.
 */
export function valueHash(value: Value | undefined): number {
  if (value === undefined) return 0x6a09e667;
  if (value === null) return 0x2545f491;
  switch (typeof value) {
    case "number":
      // Integers as valueKey writes them (0 and -0 alike); other numbers by their text.
      if (Number.isInteger(value)) return Math.abs(value) < 2 ** 31 ? (Math.imul(value | 0, 0x9e3779b1) ^ 0x3c6ef372) >>> 0 : fnv(String(value), 0x811c9dc5) >>> 0;
      return fnv(`f${value}`, 0x811c9dc5) >>> 0;
    case "string":
      return fnv(value, 0x811c9dc5 ^ 0x22) >>> 0;
    case "boolean":
      return value ? 0xbb67ae85 : 0xa54ff53a;
    default:
      break;
  }
  let h = Array.isArray(value) ? 0x510e527f : 0x9b05688c;
  if (Array.isArray(value)) {
    for (const item of value as readonly Value[]) h = Math.imul(h ^ valueHash(item), 0x01000193);
    return (h ^ (value as readonly Value[]).length) >>> 0;
  }
  const record = value as { readonly [key: string]: Value };
  for (const k of Object.keys(record).sort()) h = Math.imul(fnv(k, h) ^ valueHash(record[k]), 0x01000193);
  return h >>> 0;
}

/**
 * The {@link valueHash} of the string `prefix + suffix`, from the hash of `prefix` (a string):
 * FNV-1a runs left to right, so only the suffix is hashed.
 */
export function valueHashAppend(prefixHash: number, suffix: string): number {
  return fnv(suffix, prefixHash) >>> 0;
}

/** True when two values are structurally equal. */
export function valueEqual(a: Value | undefined, b: Value | undefined): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (typeof a !== "object" || typeof b !== "object") return false;
  return valueKey(a) === valueKey(b);
}

/** A short human-readable rendering of a value (EDN-like: `nil`, `[1 2]`). */
export function showValue(value: Value | undefined): string {
  if (value === undefined) return "?";
  if (value === null) return "nil";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value !== "object") return String(value);
  if (Array.isArray(value)) return `[${(value as readonly Value[]).map(showValue).join(" ")}]`;
  const record = value as { readonly [key: string]: Value };
  return `{${Object.keys(record)
    .map((k) => `${k} ${showValue(record[k])}`)
    .join(", ")}}`;
}

/** Type guard for JSON-compatible plain values. */
export function isValue(x: unknown): x is Value {
  if (x === null) return true;
  switch (typeof x) {
    case "number":
      return Number.isFinite(x);
    case "string":
    case "boolean":
      return true;
    case "object":
      if (Array.isArray(x)) return x.every(isValue);
      return Object.values(x as Record<string, unknown>).every(isValue);
    default:
      return false;
  }
}
