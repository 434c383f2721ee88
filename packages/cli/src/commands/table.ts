/**
 * Plain-text tables for command output.
 *
 * @module
 */

/** Render rows as an aligned text table with a header line and a rule under it; newlines in cells become spaces. */
export function renderTable(header: readonly string[], rawRows: readonly (readonly string[])[]): string {
  // One line per row: a multi-line cell (an error message, say) would break the columns.
  const rows = rawRows.map((r) => r.map((cell) => (cell ?? "").replace(/\s*\n\s*/g, " ")));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (c ?? "").padEnd(widths[i]!)).join("  ").trimEnd();
  // The last column is free text of any length: rule it to a readable width, not to its longest cell.
  const rule = widths.map((w, i) => "-".repeat(i === widths.length - 1 ? Math.min(w, 40) : w)).join("  ");
  return [line(header), rule, ...rows.map(line)].join("\n");
}
