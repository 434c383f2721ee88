/**
 * JSON values and the canonical encoding every CRDT state is shipped and hashed in: object keys
 * sorted, no whitespace, so equal states give equal bytes (a Merkle leaf hash needs that).
 *
 * @module
 */

/** A JSON value as `JSON.parse` returns it. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/** Bad input to a CRDT (a malformed encoded state, operation or value): names where and what. */
export class CrdtInputError extends Error {
  /**
   * @param where - the place in the input, e.g. `or-set state.elems["x"].live[0]`
   * @param problem - what is wrong there
   */
  constructor(
    readonly where: string,
    readonly problem: string,
  ) {
    super(`${where}: ${problem}`);
    this.name = "CrdtInputError";
  }
}

/**
 * The canonical text of a JSON value: keys in code-unit order, no whitespace, numbers as
 * `JSON.stringify` writes them. Two equal values always give the same string.
 * @throws CrdtInputError for a value that is not JSON (undefined, a function, NaN, a cycle...)
 */
export function canonicalJson(value: Json): string {
  return write(value, "value", new Set());
}

function write(v: unknown, where: string, open: Set<object>): string {
  if (v === null) return "null";
  switch (typeof v) {
    case "boolean":
      return v ? "true" : "false";
    case "number":
      if (!Number.isFinite(v)) throw new CrdtInputError(where, `${v} is not a JSON number`);
      return JSON.stringify(v);
    case "string":
      return JSON.stringify(v);
    case "object": {
      if (open.has(v)) throw new CrdtInputError(where, "is a cycle");
      open.add(v);
      let out: string;
      if (Array.isArray(v)) {
        out = `[${v.map((x, i) => write(x, `${where}[${i}]`, open)).join(",")}]`;
      } else {
        const o = v as Record<string, unknown>;
        const keys = Object.keys(o).sort();
        out = `{${keys.map((k) => `${JSON.stringify(k)}:${write(o[k], `${where}.${k}`, open)}`).join(",")}}`;
      }
      open.delete(v);
      return out;
    }
    default:
      throw new CrdtInputError(where, `a ${typeof v} is not JSON`);
  }
}

/** Compare two strings by code units (the order `canonicalJson` sorts keys in). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** @internal Checks that `v` is a plain JSON object and returns it. */
export function expectObject(v: unknown, where: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new CrdtInputError(where, `expected an object, got ${describe(v)}`);
  return v as Record<string, unknown>;
}

/** @internal Checks that `v` is an array. */
export function expectArray(v: unknown, where: string): readonly unknown[] {
  if (!Array.isArray(v)) throw new CrdtInputError(where, `expected an array, got ${describe(v)}`);
  return v;
}

/** @internal Checks that `v` is a string. */
export function expectString(v: unknown, where: string): string {
  if (typeof v !== "string") throw new CrdtInputError(where, `expected a string, got ${describe(v)}`);
  return v;
}

/** @internal Checks that `v` is a safe integer >= `min`. */
export function expectInt(v: unknown, where: string, min = 0): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min) throw new CrdtInputError(where, `expected an integer >= ${min}, got ${describe(v)}`);
  return v;
}

/** @internal Checks that `o` has exactly the keys `keys` (no unknown field is silently ignored). */
export function expectKeys(o: Record<string, unknown>, keys: readonly string[], where: string): void {
  for (const k of Object.keys(o)) if (!keys.includes(k)) throw new CrdtInputError(where, `unknown field ${JSON.stringify(k)} (expected ${keys.join(", ")})`);
  for (const k of keys) if (!(k in o)) throw new CrdtInputError(where, `missing field ${JSON.stringify(k)}`);
}

/** @internal Checks that `v` is a JSON value (no undefined, no NaN, no cycle) and returns it. */
export function expectJson(v: unknown, where: string): Json {
  write(v, where, new Set());
  return v as Json;
}

/** @internal A short description of a bad value for an error message. */
export function describe(v: unknown): string {
  if (v === undefined) return "undefined";
  try {
    const s = JSON.stringify(v);
    return s === undefined ? typeof v : s.length > 60 ? `${s.slice(0, 57)}...` : s;
  } catch {
    return typeof v;
  }
}
