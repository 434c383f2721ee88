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
