/**
 * TLC's `-dump FILE` and `-dump dot[,colorize][,actionlabels][,constrained][,snapshot] FILE`: every
 * distinct state the search finds, written as the search finds it, as TLC 2.20 writes them.
 *
 * - Text (`FILE.dump`): `State n:` and the state as TLA+ (`/\ x = 0` lines, or `x = 0` for one
 *   variable), then a blank line, for each new state in the order the search adds it.
 * - GraphViz (`FILE.dot`): `strict digraph DiskGraph`, each initial state a filled node, each
 *   generated step an edge `from -> to` (to seen states and self-loops too), a new state's node
 *   after its first edge, then `{rank = same; ...}` per BFS level. Node ids are the states'
 *   fingerprints as signed 64-bit numbers (TLC's are its own fingerprints, so the ids differ).
 *   `actionlabels` labels each edge with its action and the values of its formal parameters
 *   (`IncY(1)`); `colorize` colours edges by action (paired12 colours from 2, in the order the
 *   actions are first drawn) and, when more than one action was drawn, adds TLC's legend;
 *   `constrained` also draws the steps to states cut by a CONSTRAINT or ACTION_CONSTRAINT (nodes
 *   filled light yellow; with `actionlabels` the label gives the constraint's location on a second
 *   line, as TLC's does); `snapshot` also writes `FILE_snapshot.dot`, the graph as far as it got,
 *   at every progress report and at the end.
 *
 * Where TLC's order is a hash table's (the nodes within a rank, the legend), ours is the order
 * found. Both writers hold only the levels' node ids (dot) in memory.
 *
 * @module
 */
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from "node:fs";
import type { SearchObserver } from "../check/explorer.js";
import { makeFingerprinter } from "../check/canonical.js";
import { joinKey } from "../check/fingerprint-set.js";
import type { ActionLabel, CompiledModel, State } from "../model.js";
import { tlcVariableSlotsOf } from "../model.js";
import { formalParams, type TLCTextOptions } from "../trace/tlc-text.js";

/** The options TLC's `-dump dot,...` takes after `dot`. */
export const DOT_OPTIONS = ["colorize", "actionlabels", "constrained", "snapshot"] as const;

/** One of {@link DOT_OPTIONS}. */
export type DotOption = (typeof DOT_OPTIONS)[number];

/** TLC's text of a state: `/\ x = 0` lines (or `x = 0` alone for one variable), each ending in a newline. */
export function tlcStateText(model: CompiledModel, state: State): string {
  const single = model.variables.length === 1;
  return tlcVariableSlotsOf(model)
    .map((slot) => `${single ? "" : "/\\ "}${model.variables[slot]!} = ${model.values.format(state[slot])}\n`)
    .join("");
}

/** Buffered appends to a file (the dump of a large model is written as it grows). */
class Appender {
  private readonly fd: number;
  private buffer = "";
  constructor(readonly path: string) {
    this.fd = openSync(path, "w");
  }
  write(text: string): void {
    this.buffer += text;
    if (this.buffer.length >= 1 << 16) this.flush();
  }
  flush(): void {
    if (this.buffer.length > 0) writeSync(this.fd, this.buffer);
    this.buffer = "";
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/** TLC's file name: `.dump` (text) or `.dot` appended unless the name already ends with it. */
export function dumpFileName(file: string, dot: boolean): string {
  const ext = dot ? ".dot" : ".dump";
  return file.endsWith(ext) ? file : `${file}${ext}`;
}

/** `-dump FILE`: the states as TLA+ text. Call {@link StateDump.close} after the search. */
export class StateDump implements SearchObserver {
  private readonly out: Appender;
  private count = 0;
  constructor(
    private readonly model: CompiledModel,
    file: string,
  ) {
    this.out = new Appender(dumpFileName(file, false));
  }
  /** Where the dump goes. */
  get path(): string {
    return this.out.path;
  }
  expanding(): void {}
  transition(_from: State | null, _index: number, next: State, _level: number, inModel: boolean, fresh: boolean): void {
    if (!inModel || !fresh) return;
    this.count++;
    this.out.write(`State ${this.count}:\n${tlcStateText(this.model, next)}\n`);
  }
  close(): void {
    this.out.close();
  }
}

/** GraphViz's escaping inside a quoted string, as TLC's DotStateWriter does it. */
function dotEscape(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** `-dump dot,... FILE`: the state graph. Call {@link DotDump.close} after the search. */
export class DotDump implements SearchObserver {
  private readonly out: Appender;
  private readonly options: ReadonlySet<DotOption>;
  private readonly fingerprint: ReturnType<typeof makeFingerprinter>;
  private readonly key = new Uint32Array(2);
  private labels: readonly ActionLabel[] = [];
  private fromId = "";
  /** Node ids by level (index 0: the initial states). */
  private readonly ranks: string[][] = [];
  /** Colour per action name, in the order first drawn. */
  private readonly colors = new Map<string, number>();
  constructor(
    private readonly model: CompiledModel,
    file: string,
    options: readonly DotOption[],
    private readonly text: TLCTextOptions,
  ) {
    this.options = new Set(options);
    this.out = new Appender(dumpFileName(file, true));
    this.fingerprint = makeFingerprinter(model);
    this.out.write(this.header());
  }
  /** Where the graph goes. */
  get path(): string {
    return this.out.path;
  }
  private header(): string {
    return `strict digraph DiskGraph {\nnode [shape=box,style=rounded]\n${this.options.has("colorize") ? 'edge [colorscheme="paired12"]\n' : ""}nodesep=0.35;\nsubgraph cluster_graph {\ncolor="white";\n`;
  }
  private idOf(state: State, level: number): string {
    this.fingerprint(state, { level }, this.key);
    return String(BigInt.asIntN(64, joinKey(this.key[0]!, this.key[1]!)));
  }
  private label(state: State): string {
    return dotEscape(tlcStateText(this.model, state).trimEnd());
  }
  expanding(from: State | null, level: number, labels: readonly ActionLabel[]): void {
    this.labels = labels;
    if (from !== null) this.fromId = this.idOf(from, level);
  }
  transition(from: State | null, index: number, next: State, level: number, inModel: boolean, fresh: boolean, keyLo: number, keyHi: number): void {
    const constrained = this.options.has("constrained");
    if (!inModel && !constrained) return;
    const id = inModel ? String(BigInt.asIntN(64, joinKey(keyLo, keyHi))) : this.idOf(next, level);
    if (from === null) {
      if (fresh && inModel) {
        this.out.write(`${id} [label="${this.label(next)}",style = filled]\n`);
        this.rank(level, id);
      }
      return;
    }
    const label = this.labels[index];
    let text = "";
    if (label && this.options.has("actionlabels")) {
      const params = formalParams(label, this.text);
      text = `${label.action}${params.length > 0 ? `(${params.map(([, v]) => this.model.values.format(v)).join(",")})` : ""}`;
      if (!inModel) {
        const where = this.cutBy(from, next, level);
        if (where) text += `\n${where}`;
      }
    }
    let color = "black";
    if (this.options.has("colorize") && label) {
      let c = this.colors.get(label.action);
      if (c === undefined) {
        c = this.colors.size + 2;
        this.colors.set(label.action, c);
      }
      color = String(c);
    }
    // TLC puts a constrained step's location on a second line with a real line break.
    this.out.write(`${this.fromId} -> ${id} [label="${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}",color="${color}",fontcolor="${color}"];\n`);
    if (!inModel) {
      if (fresh) this.out.write(`${id} [label="${this.label(next)}",tooltip="${this.label(next)}",style = filled, fillcolor=lightyellow];\n`);
      return;
    }
    if (fresh) {
      this.out.write(`${id} [label="${this.label(next)}",tooltip="${this.label(next)}"];\n`);
      this.rank(level, id);
    }
  }
  /** TLC's span of the first constraint that cuts the step (for a constrained edge's label). */
  private cutBy(from: State, next: State, level: number): string | undefined {
    const ctx = { level };
    for (const c of this.model.constraints) if (!c.holds(next, ctx)) return c.location ? spanText(c.location) : c.name;
    for (const c of this.model.actionConstraints) if (!c.holds(from, next, ctx)) return c.location ? spanText(c.location) : c.name;
    return undefined;
  }
  private rank(level: number, id: string): void {
    while (this.ranks.length < level) this.ranks.push([]);
    this.ranks[level - 1]!.push(id);
  }
  private trailer(): string {
    let out = this.ranks.filter((r) => r.length > 0).map((r) => `{rank = same; ${r.map((id) => `${id};`).join("")}}\n`).join("") + "}\n";
    if (this.options.has("colorize") && this.colors.size > 1) {
      out += 'subgraph cluster_legend {graph[style=bold];label = "Next State Actions" style="solid"\nnode [ labeljust="l",colorscheme="paired12",style=filled,shape=record ]\n';
      for (const [action, color] of this.colors) out += `${action.replace(/!/g, ":")} [label="${dotEscape(action)}",fillcolor=${color}]\n`;
      out += "}";
    }
    return `${out}}`;
  }
  /** `-dump dot,snapshot`: the graph so far, complete, beside the dump. */
  snapshot(): void {
    if (!this.options.has("snapshot")) return;
    this.out.flush();
    // The nodes and edges written so far, with the closing lines.
    writeFileSync(this.snapshotPath, readFileSync(this.path, "utf8") + this.trailer());
  }
  private get snapshotPath(): string {
    return this.path.replace(/\.dot$/, "_snapshot.dot");
  }
  close(): void {
    this.out.write(this.trailer());
    this.out.close();
    if (this.options.has("snapshot")) writeFileSync(this.snapshotPath, readFileSync(this.path, "utf8"));
  }
}

/** `line 8, col 6 to line 8, col 10 of module S`. */
function spanText(loc: { file: string; line: number; column: number; endLine?: number; endColumn?: number }): string {
  const module = (loc.file.split(/[\\/]/).pop() ?? loc.file).replace(/\.tla$/, "");
  return `line ${loc.line}, col ${loc.column} to line ${loc.endLine ?? loc.line}, col ${loc.endColumn ?? loc.column} of module ${module}`;
}

/** Several observers as one. */
export function observeAll(observers: readonly SearchObserver[]): SearchObserver | undefined {
  if (observers.length === 0) return undefined;
  if (observers.length === 1) return observers[0];
  return {
    expanding: (from, level, labels) => {
      for (const o of observers) o.expanding(from, level, labels);
    },
    transition: (from, index, next, level, inModel, fresh, keyLo, keyHi) => {
      for (const o of observers) o.transition(from, index, next, level, inModel, fresh, keyLo, keyHi);
    },
  };
}
