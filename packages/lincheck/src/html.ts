import type { AnyModel, CheckResult, History, Operation } from "./types.js";

/** Options for {@link renderHtml}. */
export interface HtmlOptions {
  /** Page title (e.g. the history's file name). */
  readonly title?: string;
  /**
   * The model the history was checked against. With it, stepping through the linearization (or
   * the longest linearizable prefix) shows the state after each step.
   */
  readonly model?: AnyModel;
}

/** What the page's script gets: plain data, drawn in the browser so that views can change. */
interface ReportData {
  readonly timed: boolean;
  readonly processes: readonly string[];
  /** Per operation: [lane, start, end or null (open), partition index, info 0/1]. */
  readonly ops: readonly (readonly [number, number, number | null, number, number])[];
  readonly labels: readonly string[];
  readonly sources: readonly string[];
  readonly times: readonly string[];
  readonly partitions: readonly { readonly key: string | null; readonly verdict: string; readonly size: number }[];
  /** Orders to step through: the whole history's, and per partition (null: none). */
  readonly order: readonly number[] | null;
  readonly partitionOrders: readonly (readonly number[] | null)[];
  /** Index of the failing partition, or -1. */
  readonly failing: number;
  readonly stuck: Readonly<Record<number, string>>;
  /** The state after each operation of an order, when the model was given. */
  readonly stateAfter: Readonly<Record<number, string>>;
  readonly verdict: CheckResult["verdict"];
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The state after each operation of `order` (ids), replaying each partition's operations in turn. */
function statesAlong(order: readonly number[], ops: readonly Operation[], model: AnyModel, into: Record<number, string>): void {
  const states = new Map<string | undefined, unknown>();
  for (const id of order) {
    const op = ops[id];
    const before = states.has(op.partition) ? states.get(op.partition) : model.init();
    const after = model.step(before, op.input, op.output);
    if (after === undefined) return; // not an order the model accepts: show no states rather than wrong ones
    states.set(op.partition, after);
    into[id] = model.describeState(after);
  }
}

function reportData(result: CheckResult, model: AnyModel | undefined): ReportData {
  const ops = result.operations;
  const processes = [...new Set(ops.map((o) => String(o.process)))].sort((a, b) => {
    const na = Number(a);
    const nb = Number(b);
    return Number.isNaN(na) || Number.isNaN(nb) ? a.localeCompare(b) : na - nb;
  });
  const laneOf = new Map(processes.map((p, i) => [p, i]));
  // Real timestamps when the history has them, else event positions.
  const timed = ops.length > 0 && ops.every((o) => o.callTimeNs !== undefined && (o.status === "info" || o.retTimeNs !== undefined));
  const partitionOf = new Map<number, number>();
  result.partitions.forEach((p, k) => {
    for (const id of p.operationIds) partitionOf.set(id, k);
  });
  const stuck: Record<number, string> = {};
  const stateAfter: Record<number, string> = {};
  let order: readonly number[] | null = null;
  let failing = -1;
  const partitionOrders = result.partitions.map((p) => p.linearization ?? null);
  switch (result.verdict) {
    case "ok":
      order = result.linearization;
      if (model !== undefined) statesAlong(order, ops, model, stateAfter);
      break;
    case "illegal": {
      const f = result.failure;
      failing = result.partitions.findIndex((p) => p.verdict === "illegal" && p.key === f.partition);
      order = f.prefix;
      if (failing >= 0) partitionOrders[failing] = f.prefix;
      for (const s of f.stuck) stuck[s.id] = s.reason;
      if (model !== undefined) statesAlong(order, ops, model, stateAfter);
      break;
    }
    case "unknown":
      break;
  }
  return {
    timed,
    processes,
    ops: ops.map((o) => [
      laneOf.get(String(o.process)) ?? 0,
      timed ? (o.callTimeNs as number) : o.call,
      o.status === "info" ? null : timed ? (o.retTimeNs as number) : o.ret,
      partitionOf.get(o.id) ?? 0,
      o.status === "info" ? 1 : 0,
    ]),
    labels: ops.map((o) => o.description),
    sources: ops.map((o) => o.source),
    times: ops.map((o) => (o.callTimeNs === undefined ? "" : `t=${o.callTimeNs} ns${o.retTimeNs === undefined ? "" : ` .. ${o.retTimeNs} ns`}`)),
    partitions: result.partitions.map((p) => ({ key: p.key ?? null, verdict: p.verdict, size: p.operationIds.length })),
    order,
    partitionOrders,
    failing,
    stuck,
    stateAfter,
    verdict: result.verdict,
  };
}

/**
 * Renders a history and its verdict as one self-contained HTML file (no external scripts,
 * styles or fonts): a lane per process, operations as bars over time, the linearization (or the
 * longest linearizable prefix and the operations that cannot follow it) drawn over them.
 *
 * The page fits its width (no sideways scrolling); the wheel zooms around the pointer, dragging
 * pans, and only the operations in view are drawn (more than 2,000 in view are drawn as each
 * lane's busy stretches until one zooms in), so histories of 10,000 operations stay responsive. A partition can be viewed alone (the failing one first), and the order can be
 * stepped through operation by operation (buttons or the arrow keys), with the state after each
 * step when `options.model` is given. Hovering an operation shows its details.
 */
export function renderHtml(history: History, result: CheckResult, options: HtmlOptions = {}): string {
  const title = options.title ?? "linearizability report";
  const data = reportData(result, options.model);
  const ops = result.operations;
  const summary =
    result.verdict === "ok"
      ? `Linearizable: ${ops.length} operations in ${result.partitions.length} partition(s).`
      : result.verdict === "illegal"
        ? result.explanation
        : `Unknown: ${result.reason}`;
  const json = JSON.stringify(data).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>
*{box-sizing:border-box}
body{font:13px system-ui,sans-serif;margin:16px;color:#222}
h1{font-size:18px;margin:0 0 8px;overflow-wrap:anywhere}
.verdict{display:inline-block;padding:2px 8px;border-radius:4px;color:#fff;font-weight:600}
.verdict.ok{background:#2a7d2a}.verdict.illegal{background:#b3261e}.verdict.unknown{background:#8a6d00}
pre#summary{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f6f6;padding:8px;border-radius:4px;max-height:16em;overflow-y:auto}
#controls{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin:8px 0}
#controls button,#controls select{font:inherit;padding:2px 8px}
#step{min-width:8em}
#timeline-box{border:1px solid #ddd;overflow:hidden;cursor:grab;touch-action:none}
#timeline-box.dragging{cursor:grabbing}
svg{display:block;width:100%;background:#fff;user-select:none}
.lane{font-weight:600;fill:#444;font-size:12px}.laneline{stroke:#eee}.axis{fill:#666;font-size:11px}
.op rect{fill:#cfd8e3;stroke:#7b8ea6}.op text{font-size:11px;fill:#111;pointer-events:none}
.op.linearized rect{fill:#cde8cd;stroke:#2a7d2a}.op.prefix rect{fill:#d8e8f8;stroke:#2d5f9a}
.op.stuck rect{fill:#f6c9c5;stroke:#b3261e;stroke-width:2}.op.failing rect{fill:#fbe6d0}
.op.info rect{stroke-dasharray:4 3}.op:hover rect{stroke:#000;stroke-width:2}
.op.current rect{stroke:#000;stroke-width:3}.dense{fill:#b8c4d2}
#order{fill:none;stroke:#2d5f9a;stroke-width:1.5;opacity:.7;pointer-events:none}#order.ok{stroke:#2a7d2a}
#stepinfo{white-space:pre-wrap;overflow-wrap:anywhere;min-height:1.4em;margin:6px 0;font-family:ui-monospace,monospace}
#details{position:fixed;right:16px;top:16px;max-width:min(420px,45vw);white-space:pre-wrap;overflow-wrap:anywhere;background:#fffbe6;border:1px solid #e0c060;padding:8px;border-radius:4px;display:none;z-index:2}
.hint{color:#666}
</style></head><body>
<h1>${escapeHtml(title)} <span class="verdict ${result.verdict}" id="verdict">${result.verdict}</span></h1>
<pre id="summary">${escapeHtml(summary)}</pre>
<p>${history.length} events, ${ops.length} operations, ${result.partitions.length} partition(s), checked in ${result.elapsedMs.toFixed(1)} ms.
<span class="hint">Wheel: zoom; drag: pan; hover: details; dashed bars have unknown outcomes.</span></p>
<div id="controls">
<label>View <select id="partition"></select></label>
<button id="zoom-in" title="zoom in (+)">+</button><button id="zoom-out" title="zoom out (-)">&#8722;</button><button id="fit" title="show everything (0)">fit</button>
<button id="prev" title="previous step (left arrow)">&#9664; step</button><button id="next" title="next step (right arrow)">step &#9654;</button>
<span id="step"></span>
</div>
<div id="stepinfo"></div>
<div id="timeline-box"><svg id="timeline" xmlns="http://www.w3.org/2000/svg"></svg></div>
<div id="details"></div>
<script>
"use strict";
const D = ${json};
const LANE = 30, TOP = 28, LEFT = 96, RIGHT = 12, CHAR = 6.2, DRAWN_MAX = 2000;
let dense = false;
const box = document.getElementById("timeline-box");
const svg = document.getElementById("timeline");
const details = document.getElementById("details");
const select = document.getElementById("partition");
const stepLabel = document.getElementById("step");
const stepInfo = document.getElementById("stepinfo");
const partName = (k) => { const p = D.partitions[k]; return (p.key === null ? "the history" : "key " + p.key) + " (" + p.size + " ops, " + p.verdict + ")"; };
if (D.partitions.length > 1) { const o = document.createElement("option"); o.value = "-1"; o.textContent = "all " + D.partitions.length + " partitions"; select.appendChild(o); }
const listed = D.partitions.map((_, k) => k);
if (D.failing >= 0) listed.sort((a, b) => (a === D.failing ? -1 : b === D.failing ? 1 : a - b));
for (const k of listed) { const o = document.createElement("option"); o.value = String(k); o.textContent = partName(k); select.appendChild(o); }
let view = D.failing >= 0 ? D.failing : D.partitions.length > 1 ? -1 : 0;
select.value = String(view);
let ids = [], lanes = [], laneOf = new Map(), order = [], rank = new Map(), roles = new Map(), step = 0;
let t0 = 0, t1 = 1, v0 = 0, v1 = 1;
// Where each operation starts and ends in the current view: real times, or without them the
// rank of its events among the view's own events, so that a partition's view is not spread thin
// over the whole history's event numbers. NaN: open to the end.
const vs = new Float64Array(D.ops.length), ve = new Float64Array(D.ops.length);
const startOf = (i) => vs[i];
const endOf = (i) => (Number.isNaN(ve[i]) ? t1 : ve[i]);
function choose(k) {
  view = k;
  ids = [];
  for (let i = 0; i < D.ops.length; i++) if (k < 0 || D.ops[i][3] === k) ids.push(i);
  const used = new Set(ids.map((i) => D.ops[i][0]));
  lanes = D.processes.map((p, i) => i).filter((i) => used.has(i));
  laneOf = new Map(lanes.map((l, j) => [l, j]));
  order = (k < 0 ? D.order : D.partitionOrders[k]) || [];
  rank = new Map(order.map((id, j) => [id, j + 1]));
  roles = new Map();
  const failingHere = D.failing >= 0 && (k < 0 || k === D.failing);
  for (const i of ids) {
    if (D.verdict === "ok") roles.set(i, rank.has(i) ? "linearized" : "plain");
    else if (failingHere && D.ops[i][3] === D.failing) roles.set(i, D.stuck[i] !== undefined ? "stuck" : rank.has(i) ? "prefix" : "failing");
    else roles.set(i, D.partitionOrders[D.ops[i][3]] && rank.has(i) ? "linearized" : "plain");
  }
  const rankOf = new Map();
  if (!D.timed) {
    const pos = [];
    for (const i of ids) { pos.push(D.ops[i][1]); if (D.ops[i][2] !== null) pos.push(D.ops[i][2]); }
    pos.sort((a, b) => a - b).forEach((p) => { if (!rankOf.has(p)) rankOf.set(p, rankOf.size); });
  }
  const at = (t) => (D.timed ? t : rankOf.get(t));
  for (const i of ids) { const op = D.ops[i]; vs[i] = at(op[1]); ve[i] = op[2] === null ? NaN : at(op[2]); }
  let lo = Infinity, hi = -Infinity;
  for (const i of ids) { lo = Math.min(lo, vs[i]); hi = Math.max(hi, vs[i], Number.isNaN(ve[i]) ? vs[i] : ve[i]); }
  if (!(lo <= hi)) { lo = 0; hi = 1; }
  t0 = lo; t1 = hi + Math.max(1, (hi - lo) * 0.02);
  v0 = t0; v1 = t1; step = 0;
  render();
}
function width() { return Math.max(320, box.clientWidth); }
function x(t) { return LEFT + ((t - v0) / (v1 - v0)) * (width() - LEFT - RIGHT); }
function esc(t) { return String(t).replace(/[&<>"]/g, (c) => "&#" + c.charCodeAt(0) + ";"); }
function fit(label, px) { const n = Math.floor(px / CHAR); return label.length <= n ? label : n < 3 ? "" : label.slice(0, n - 1) + "\u2026"; }
// Drawn as one string of markup: for thousands of operations that is several times quicker than
// creating the elements one by one. Only the operations in view are drawn.
function render() {
  const w = width(), h = TOP + lanes.length * LANE + 8;
  svg.setAttribute("viewBox", "0 0 " + w + " " + h);
  svg.setAttribute("height", String(h));
  const out = [];
  out.push('<text id="axis" class="axis" x="' + LEFT + '" y="14">' + (D.timed ? "time (ns) " : "events of this view, in order: ") + Math.round(v0) + " \u2192 " + Math.round(v1) + "</text>");
  lanes.forEach((l, j) => {
    const y = TOP + j * LANE;
    out.push('<text class="lane" x="6" y="' + (y + 17) + '">process ' + esc(D.processes[l]) + "</text>");
    out.push('<line class="laneline" x1="' + LEFT + '" x2="' + (w - RIGHT) + '" y1="' + (y + LANE - 2) + '" y2="' + (y + LANE - 2) + '"/>');
  });
  const current = step > 0 ? order[step - 1] : -1;
  const visible = [];
  for (const i of ids) if (!(endOf(i) < v0 || startOf(i) > v1)) visible.push(i);
  dense = visible.length > DRAWN_MAX;
  if (dense) {
    // Too many to tell apart at this zoom: each lane's busy stretches, merged to the pixel.
    const spans = lanes.map(() => []);
    for (const i of visible) spans[laneOf.get(D.ops[i][0])].push([Math.max(LEFT, x(startOf(i))), Math.min(w - RIGHT, x(endOf(i)))]);
    spans.forEach((list, j) => {
      list.sort((p, q) => p[0] - q[0]);
      let a = -1, b = -2;
      const y = TOP + j * LANE + 5;
      const flush = () => { if (b >= a && a >= 0) out.push('<rect class="dense" x="' + a.toFixed(1) + '" y="' + y + '" width="' + Math.max(1, b - a).toFixed(1) + '" height="19"/>'); };
      for (const [p, q] of list) { if (p <= b + 1) b = Math.max(b, q); else { flush(); a = p; b = q; } }
      flush();
    });
    out.push('<text id="dense" class="axis" x="' + (w - RIGHT) + '" y="14" text-anchor="end">' + visible.length + " operations in view: zoom in to see them one by one</text>");
  }
  for (const i of dense ? [] : visible) {
    const op = D.ops[i];
    const s = startOf(i), e = endOf(i);
    const a = Math.max(LEFT, x(s)), b = Math.min(w - RIGHT, x(e));
    const bw = Math.max(2, b - a);
    const y = TOP + laneOf.get(op[0]) * LANE + 5;
    out.push('<g class="op ' + roles.get(i) + (op[4] ? " info" : "") + (i === current ? " current" : "") + '" data-id="' + i + '"><rect x="' + a.toFixed(1) + '" y="' + y + '" width="' + bw.toFixed(1) + '" height="19" rx="3"/>');
    if (bw > 18) out.push('<text x="' + (a + 4).toFixed(1) + '" y="' + (y + 14) + '">' + esc(fit((rank.has(i) ? rank.get(i) + ". " : "") + D.labels[i], bw - 6)) + "</text>");
    out.push("</g>");
  }
  if (order.length > 0 && !dense) {
    let last = -Infinity;
    const pts = [];
    for (const id of order) {
      if (!laneOf.has(D.ops[id][0])) continue;
      const a = x(startOf(id)), b = x(endOf(id));
      last = Math.min(Math.max(last + 2, a + 2), b - 1);
      pts.push(last.toFixed(1) + "," + (TOP + laneOf.get(D.ops[id][0]) * LANE + 15).toFixed(1));
    }
    out.push('<polyline id="order" class="' + D.verdict + '" points="' + pts.join(" ") + '"/>');
  }
  svg.innerHTML = out.join("");
  stepLabel.textContent = order.length === 0 ? "no order to step through" : "step " + step + " of " + order.length;
  if (step === 0) stepInfo.textContent = order.length === 0 ? "" : (D.verdict === "ok" ? "Linearization" : "Longest linearizable prefix") + ": " + order.length + " operations. Step through it with the buttons or the arrow keys.";
  else {
    const id = order[step - 1];
    const st = D.stateAfter[id];
    stepInfo.textContent = "Step " + step + ": #" + id + " process " + D.processes[D.ops[id][0]] + ": " + D.labels[id] + (st !== undefined ? "\\nstate after: " + st : "") + (step === order.length && D.verdict === "illegal" ? "\\nnothing can go next (the red operations cannot)" : "");
  }
}
function zoom(factor, at) {
  const c = at === undefined ? (v0 + v1) / 2 : at;
  const span = Math.min(t1 - t0, Math.max(1e-9, (v1 - v0) * factor));
  v0 = c - (c - v0) * (span / (v1 - v0)); v1 = v0 + span;
  clamp(); render();
}
function clamp() { const span = v1 - v0; if (v0 < t0) { v0 = t0; v1 = t0 + span; } if (v1 > t1) { v1 = t1; v0 = Math.max(t0, t1 - span); } }
function tAt(px) { return v0 + ((px - LEFT) / (width() - LEFT - RIGHT)) * (v1 - v0); }
function go(k) {
  if (order.length === 0) return;
  step = Math.max(0, Math.min(order.length, k));
  if (step > 0) { const id = order[step - 1]; const s = startOf(id), e = endOf(id); if (e < v0 || s > v1) { const span = v1 - v0; v0 = (s + Math.min(e, s + span)) / 2 - span / 2; v1 = v0 + span; clamp(); } }
  render();
}
box.addEventListener("wheel", (ev) => {
  ev.preventDefault();
  const r = svg.getBoundingClientRect();
  if (ev.shiftKey || Math.abs(ev.deltaX) > Math.abs(ev.deltaY)) { const d = ((ev.deltaX || ev.deltaY) / (width() - LEFT - RIGHT)) * (v1 - v0); v0 += d; v1 += d; clamp(); render(); }
  else zoom(ev.deltaY > 0 ? 1.25 : 0.8, tAt(ev.clientX - r.left));
}, { passive: false });
let drag = null;
box.addEventListener("pointerdown", (ev) => { drag = { x: ev.clientX, v0, v1 }; box.classList.add("dragging"); });
window.addEventListener("pointermove", (ev) => {
  if (drag === null) return;
  const d = ((drag.x - ev.clientX) / (width() - LEFT - RIGHT)) * (drag.v1 - drag.v0);
  v0 = drag.v0 + d; v1 = drag.v1 + d; clamp(); render();
});
window.addEventListener("pointerup", () => { drag = null; box.classList.remove("dragging"); });
svg.addEventListener("mouseover", (ev) => {
  const g = ev.target.closest ? ev.target.closest("g.op") : null;
  if (g === null) return;
  const i = Number(g.dataset.id), op = D.ops[i], p = D.partitions[op[3]];
  const lines = ["#" + i + " process " + D.processes[op[0]] + ": " + D.labels[i], "status: " + (op[4] ? "info (outcome unknown, open to the end)" : "ok") + (p.key !== null ? ", key " + p.key : ""), "invoked at " + D.sources[i]];
  if (D.times[i]) lines.push(D.times[i]);
  if (rank.has(i)) lines.push("position " + rank.get(i) + " in the " + (D.verdict === "ok" ? "linearization" : "longest prefix"));
  if (D.stateAfter[i] !== undefined && rank.has(i)) lines.push("state after: " + D.stateAfter[i]);
  if (D.stuck[i] !== undefined) lines.push("cannot go next: " + D.stuck[i]);
  details.textContent = lines.join("\\n"); details.style.display = "block";
});
svg.addEventListener("mouseout", (ev) => { if (ev.target.closest && ev.target.closest("g.op") && !(ev.relatedTarget && ev.relatedTarget.closest && ev.relatedTarget.closest("g.op"))) details.style.display = "none"; });
svg.addEventListener("click", (ev) => { const g = ev.target.closest ? ev.target.closest("g.op") : null; if (g !== null && rank.has(Number(g.dataset.id))) go(rank.get(Number(g.dataset.id))); });
document.getElementById("zoom-in").addEventListener("click", () => zoom(0.5));
document.getElementById("zoom-out").addEventListener("click", () => zoom(2));
document.getElementById("fit").addEventListener("click", () => { v0 = t0; v1 = t1; render(); });
document.getElementById("prev").addEventListener("click", () => go(step - 1));
document.getElementById("next").addEventListener("click", () => go(step + 1));
select.addEventListener("change", () => choose(Number(select.value)));
document.addEventListener("keydown", (ev) => {
  if (ev.target === select) return;
  if (ev.key === "ArrowRight") go(step + 1); else if (ev.key === "ArrowLeft") go(step - 1);
  else if (ev.key === "+" || ev.key === "=") zoom(0.5); else if (ev.key === "-") zoom(2); else if (ev.key === "0") { v0 = t0; v1 = t1; render(); }
});
window.addEventListener("resize", render);
choose(view);
</script>
</body></html>
`;
}
