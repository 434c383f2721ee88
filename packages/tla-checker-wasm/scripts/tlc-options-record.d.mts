/** Types for tlc-options-record.mjs (development tool, needs Java). */

/** TLC's standard output reduced to what tla-check's output is compared with. */
export function normalizeTlcOutput(out: string): string;
