import type { CheckResult, History, Operation } from "./types.js";

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The label cut to what fits in `widthPx`, so neighbouring bars' labels do not overlap. */
function fit(label: string, widthPx: number): string {
  const chars = Math.floor(widthPx / CHAR_PX);
  if (label.length <= chars) return label;
  return chars < 2 ? "" : `${label.slice(0, chars - 1)}\u2026`;
}

/** Options for {@link renderHtml}. */
export interface HtmlOptions {
  /** Page title (e.g. the history's file name). */
  readonly title?: string;
}

interface Bar {
  readonly id: number;
  readonly lane: number;
  readonly x0: number;
  readonly x1: number;
  readonly op: Operation;
  readonly role: "linearized" | "prefix" | "stuck" | "failing" | "plain";
  readonly rank: number | undefined;
}

const LANE_PX = 34;
const LEFT_PX = 120;
const CHAR_PX = 6.2;

/**
 * Renders a history and its verdict as one self-contained HTML file: a lane per process,
 * operations as bars over time, the linearization order (or the longest linearizable prefix and
 * the operations that cannot follow it) drawn over them, and details on hover. No external
 * scripts, styles or fonts.
 */
export function renderHtml(history: History, result: CheckResult, options: HtmlOptions = {}): string {
  const ops = result.operations;
  // Wide enough that bars of short operations stay visible; the page scrolls sideways.
  const WIDTH_PX = Math.min(40_000, Math.max(1400, 18 * 2 * ops.length));
  const title = options.title ?? "linearizability report";
  const processes = [...new Set(ops.map((o) => String(o.process)))].sort((a, b) => {
    const na = Number(a);
    const nb = Number(b);
    return Number.isNaN(na) || Number.isNaN(nb) ? a.localeCompare(b) : na - nb;
  });
  const laneOf = new Map(processes.map((p, i) => [p, i]));
  // Real timestamps when the history has them, else event positions.
  const timed = ops.length > 0 && ops.every((o) => o.callTimeNs !== undefined && (o.status === "info" || o.retTimeNs !== undefined));
  const start = (o: Operation): number => (timed ? (o.callTimeNs as number) : o.call);
  const end = (o: Operation): number => (o.status === "info" ? Infinity : timed ? (o.retTimeNs as number) : o.ret);
  const finite = ops.flatMap((o) => (Number.isFinite(end(o)) ? [start(o), end(o)] : [start(o)]));
  const tMin = finite.length === 0 ? 0 : finite.reduce((a, b) => Math.min(a, b), Infinity);
  const tMax = finite.length === 0 ? 1 : finite.reduce((a, b) => Math.max(a, b), -Infinity) + 1;
  const scale = (t: number): number => LEFT_PX + ((t - tMin) / (tMax - tMin)) * (WIDTH_PX - LEFT_PX - 20);

  const rank = new Map<number, number>();
  const roles = new Map<number, Bar["role"]>();
  let order: readonly number[] = [];
  switch (result.verdict) {
    case "ok":
      order = result.linearization;
      order.forEach((id, i) => roles.set(id, "linearized"));
      break;
    case "illegal":
      for (const id of result.failure.operationIds) roles.set(id, "failing");
      order = result.failure.prefix;
      order.forEach((id) => roles.set(id, "prefix"));
      for (const s of result.failure.stuck) roles.set(s.id, "stuck");
      break;
    case "unknown":
      break;
  }
  order.forEach((id, i) => rank.set(id, i + 1));
  const bars: Bar[] = ops.map((op) => ({
    id: op.id,
    lane: laneOf.get(String(op.process)) ?? 0,
    x0: scale(start(op)),
    x1: Number.isFinite(end(op)) ? scale(end(op)) : WIDTH_PX - 10,
    op,
    role: roles.get(op.id) ?? "plain",
    rank: rank.get(op.id),
  }));
  const byId = new Map(bars.map((b) => [b.id, b]));
  const heightPx = 40 + processes.length * LANE_PX + 20;

  const svg: string[] = [];
  processes.forEach((p, i) => {
    const y = 40 + i * LANE_PX;
    svg.push(`<text class="lane" x="8" y="${y + 20}">process ${escapeHtml(p)}</text>`);
    svg.push(`<line class="laneline" x1="${LEFT_PX}" x2="${WIDTH_PX - 10}" y1="${y + LANE_PX - 2}" y2="${y + LANE_PX - 2}"/>`);
  });
  for (const b of bars) {
    const y = 40 + b.lane * LANE_PX + 6;
    const w = Math.max(3, b.x1 - b.x0);
    const label = fit(b.rank !== undefined ? `${b.rank}. ${b.op.description}` : b.op.description, w - 6);
    svg.push(
      `<g class="op ${b.role}${b.op.status === "info" ? " info" : ""}" data-id="${b.id}">` +
        `<rect x="${b.x0.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="20" rx="3"/>` +
        `<text x="${(b.x0 + 4).toFixed(1)}" y="${y + 14}">${escapeHtml(label)}</text></g>`,
    );
  }
  // The linearization (or prefix) as a path through each operation's chosen point.
  if (order.length > 0) {
    let last = -Infinity;
    const pts = order.map((id) => {
      const b = byId.get(id) as Bar;
      last = Math.min(Math.max(last + 2, b.x0 + 2), b.x1 - 1);
      return `${last.toFixed(1)},${(40 + b.lane * LANE_PX + 16).toFixed(1)}`;
    });
    svg.push(`<polyline id="order" class="${result.verdict}" points="${pts.join(" ")}"/>`);
  }

  const details: Record<number, string> = {};
  for (const op of ops) {
    details[op.id] = [
      `#${op.id} process ${op.process}: ${op.description}`,
      `status: ${op.status}${op.partition !== undefined ? `, key ${op.partition}` : ""}`,
      `invoked at ${op.source}${op.callTimeNs !== undefined ? ` (t=${op.callTimeNs} ns)` : ""}`,
      Number.isFinite(op.ret) ? `returned${op.retTimeNs !== undefined ? ` at t=${op.retTimeNs} ns` : ""}` : "never returned (open to the end)",
      rank.has(op.id) ? `position ${rank.get(op.id)} in the ${result.verdict === "ok" ? "linearization" : "longest prefix"}` : "",
      ...(result.verdict === "illegal" ? result.failure.stuck.filter((s) => s.id === op.id).map((s) => `cannot go next: ${s.reason}`) : []),
    ]
      .filter((line) => line !== "")
      .join("\n");
  }
  const summary =
    result.verdict === "ok"
      ? `Linearizable: ${ops.length} operations in ${result.partitions.length} partition(s).`
      : result.verdict === "illegal"
        ? result.explanation
        : `Unknown: ${result.reason}`;

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body{font:13px system-ui,sans-serif;margin:16px;color:#222}
h1{font-size:18px;margin:0 0 8px}
.verdict{display:inline-block;padding:2px 8px;border-radius:4px;color:#fff;font-weight:600}
.verdict.ok{background:#2a7d2a}.verdict.illegal{background:#b3261e}.verdict.unknown{background:#8a6d00}
pre#summary{white-space:pre-wrap;background:#f6f6f6;padding:8px;border-radius:4px}
#scroll{overflow-x:auto;border:1px solid #ddd}svg{background:#fff;display:block}
.lane{font-weight:600;fill:#444}.laneline{stroke:#eee}
.op rect{fill:#cfd8e3;stroke:#7b8ea6}.op text{font-size:11px;fill:#111;pointer-events:none}
.op.linearized rect{fill:#cde8cd;stroke:#2a7d2a}.op.prefix rect{fill:#d8e8f8;stroke:#2d5f9a}
.op.stuck rect{fill:#f6c9c5;stroke:#b3261e;stroke-width:2}.op.failing rect{fill:#fbe6d0}
.op.info rect{stroke-dasharray:4 3}.op:hover rect{stroke:#000;stroke-width:2}
#order{fill:none;stroke:#2d5f9a;stroke-width:1.5;opacity:.7}#order.ok{stroke:#2a7d2a}
#details{position:fixed;right:16px;top:16px;max-width:420px;white-space:pre-wrap;background:#fffbe6;border:1px solid #e0c060;padding:8px;border-radius:4px;display:none}
</style></head><body>
<h1>${escapeHtml(title)} <span class="verdict ${result.verdict}" id="verdict">${result.verdict}</span></h1>
<pre id="summary">${escapeHtml(summary)}</pre>
<p>${history.length} events, ${ops.length} operations, ${result.partitions.length} partition(s), checked in ${result.elapsedMs.toFixed(1)} ms. Hover an operation for details; dashed bars have unknown outcomes.</p>
<div id="scroll"><svg id="timeline" xmlns="http://www.w3.org/2000/svg" width="${WIDTH_PX}" height="${heightPx}" viewBox="0 0 ${WIDTH_PX} ${heightPx}">
<text x="${LEFT_PX}" y="20" fill="#666">${timed ? "time (ns)" : "time (event order)"} &#8594;</text>
${svg.join("\n")}
</svg></div>
<div id="details"></div>
<script>
const details = ${JSON.stringify(details).replace(/</g, "\\u003c")};
const box = document.getElementById("details");
for (const g of document.querySelectorAll("g.op")) {
  g.addEventListener("mouseenter", () => { box.textContent = details[g.dataset.id]; box.style.display = "block"; });
  g.addEventListener("mouseleave", () => { box.style.display = "none"; });
}
</script>
</body></html>
`;
}
