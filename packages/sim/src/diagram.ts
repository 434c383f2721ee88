/**
 * Space-time diagrams as plain text: one column per node, one line per message delivery, drop or
 * fault, in virtual-time order. Cheap enough to print for a failing seed.
 *
 * ```
 *  time ms  n1          n2          n3
 *    1.000  o──────────▶│           │            #0 Ping (sent 0.000)
 *    2.500  │           o───────────x            #3 Ping dropped: partition
 *  100.000  X           │           │            crash n1
 * ```
 *
 * @module
 */
import type { SimulationLog } from "./records.js";

/** Options of {@link renderSpaceTime}. */
export interface DiagramOptions<Msg> {
  /** Width of a node's column in characters. Default 12. */
  columnWidth?: number;
  /** Show at most this many lines (the first ones). Default 500. */
  maxLines?: number;
  /** Label of a message. Default: its `type` field when it has one, else its JSON, shortened. */
  describe?: (message: Msg) => string;
  /** Only lines at or after this virtual time (e.g. shortly before a failure). */
  fromMs?: number;
  /** Only lines at or before this virtual time. */
  toMs?: number;
}

interface Line {
  atMs: number;
  order: number;
  cells: string[];
  label: string;
}

function defaultDescribe(message: unknown): string {
  if (typeof message === "object" && message !== null && typeof (message as { type?: unknown }).type === "string") {
    return (message as { type: string }).type;
  }
  const json = JSON.stringify(message) ?? String(message);
  return json.length > 30 ? `${json.slice(0, 29)}…` : json;
}

/**
 * Render a recorded run (its message and fault logs) as a text space-time diagram.
 * @example `console.log(renderSpaceTime(sim.log()))`
 */
export function renderSpaceTime<Msg, Cmd, Res>(log: SimulationLog<Msg, Cmd, Res>, options: DiagramOptions<Msg> = {}): string {
  const width = Math.max(4, options.columnWidth ?? 12);
  const maxLines = options.maxLines ?? 500;
  const describe = options.describe ?? defaultDescribe;
  const column = new Map(log.nodes.map((id, i) => [id, i]));
  const blank = (): string[] => log.nodes.map(() => "│");
  const lines: Line[] = [];
  let order = 0;
  for (const m of log.messages) {
    const a = column.get(m.from) as number;
    const b = column.get(m.to) as number;
    const cells = blank();
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    for (let i = lo; i <= hi; i++) cells[i] = "─";
    cells[a] = "o";
    const end = m.status === "delivered" ? (b >= a ? "▶" : "◀") : m.status === "dropped" ? "x" : "?";
    cells[b] = a === b ? (m.status === "delivered" ? "↺" : end) : end;
    const dup = m.duplicateOf === undefined ? "" : ` (duplicate of #${m.duplicateOf})`;
    const fate =
      m.status === "delivered" ? `sent ${m.sentAtMs.toFixed(3)}` : m.status === "dropped" ? `dropped: ${m.dropReason}` : "in flight";
    lines.push({ atMs: m.deliveredAtMs ?? m.sentAtMs, order: order++, cells, label: `#${m.id} ${describe(m.message)}${dup} (${fate})` });
  }
  for (const f of log.faults) {
    const cells = blank();
    let label: string;
    const fault = f.fault;
    switch (fault.type) {
      case "crash":
      case "restart":
      case "pause":
      case "resume":
      case "clock":
        cells[column.get(fault.node) as number] = { crash: "X", restart: "R", pause: "P", resume: "▷", clock: "⌚" }[fault.type];
        label = `${fault.type} ${fault.node}`;
        break;
      case "partition":
        label = `partition ${fault.groups.map((g) => `[${g.join(" ")}]`).join(" | ")} (others together)`;
        break;
      case "cut":
        label = `cut [${fault.from.join(" ")}] → [${fault.to.join(" ")}]`;
        break;
      case "heal":
        label = "heal";
        break;
      case "loss":
      case "duplicate":
        label = `${fault.type} probability ${fault.probability ?? "back to configured"}`;
        break;
      case "latency":
        label = `latency ${fault.latency === null ? "back to configured" : JSON.stringify(fault.latency)}`;
        break;
      case "byzantine":
        cells[column.get(fault.node) as number] = "B";
        label = `byzantine ${fault.node} ${fault.behaviour}`;
        break;
      default: {
        const never: never = fault;
        label = JSON.stringify(never);
      }
    }
    if (f.effect === "no-op") label += " (no-op)";
    lines.push({ atMs: f.atMs, order: order++, cells, label: `~~ ${label}` });
  }
  lines.sort((x, y) => x.atMs - y.atMs || x.order - y.order);
  const fromMs = options.fromMs ?? -Infinity;
  const toMs = options.toMs ?? Infinity;
  const shown = lines.filter((l) => l.atMs >= fromMs && l.atMs <= toMs);
  const pad = (cell: string, filler: string): string => cell + filler.repeat(width - 1);
  const header = `${"time ms".padStart(10)}  ${log.nodes.map((id) => id.padEnd(width).slice(0, width)).join("")}`;
  const out = [header];
  for (const line of shown.slice(0, maxLines)) {
    // Fill the gap after a cell with "─" while inside an arrow, so it reads as one line.
    let body = "";
    line.cells.forEach((cell, i) => {
      const next = line.cells[i + 1];
      const inside = (cell === "o" || cell === "─") && next !== undefined && next !== "│";
      const insideBack = cell === "◀" || (cell === "x" && next !== undefined && next !== "│");
      body += pad(cell, inside || insideBack || (cell === "─" && next !== undefined && next !== "│") ? "─" : " ");
    });
    out.push(`${line.atMs.toFixed(3).padStart(10)}  ${body}  ${line.label}`);
  }
  if (shown.length > maxLines) out.push(`… ${shown.length - maxLines} more lines`);
  return out.join("\n");
}
