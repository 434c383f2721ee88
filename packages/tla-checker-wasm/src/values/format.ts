/**
 * TLC's text form of values, as TLC prints them in traces and with Print/ToString.
 *
 * @module
 */
import { Fcn, LazyFcn, ModelValue, OpValue, SetValue, type Val } from "./value.js";

/** Quote a string as TLA+ source. */
export function quoteString(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\t/g, "\\t")}"`;
}

/** TLC's text form: `[a |-> 1]`, `<<1, 2>>`, `(1 :> 2 @@ 3 :> 4)`, `{1, 2}`, `"s"`, `TRUE`. */
export function formatValue(v: Val): string {
  switch (typeof v) {
    case "number":
      return String(v);
    case "boolean":
      return v ? "TRUE" : "FALSE";
    case "string":
      return quoteString(v);
    default:
      if (v instanceof ModelValue) return v.name;
      if (v instanceof Fcn) return formatFcn(v);
      if (v instanceof LazyFcn) return v.domain.finite ? formatFcn(v.force()) : `[x \\in ${v.domain.describe()} |-> ...]`;
      if (v instanceof SetValue) {
        if (!v.finite) return v.describe();
        if (v.constructor.name === "Interval") return v.describe();
        return `{${v.elems().map(formatValue).join(", ")}}`;
      }
      if (v instanceof OpValue) return v.name;
      return String(v);
  }
}

function formatFcn(f: Fcn): string {
  if (f.dom.length === 0 || f.isSeq) return `<<${f.rng.map(formatValue).join(", ")}>>`;
  if (f.dom.every((d) => typeof d === "string")) {
    return `[${f.dom.map((d, i) => `${d as string} |-> ${formatValue(f.rng[i]!)}`).join(", ")}]`;
  }
  return `(${f.dom.map((d, i) => `${formatValue(d)} :> ${formatValue(f.rng[i]!)}`).join(" @@ ")})`;
}
