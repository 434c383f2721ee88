/**
 * TLC's printed counterexample turned back into the model's own states, so the lasso validator
 * can judge TLC's lassos too (TLC is the reference, not an oracle: TLC 2.20 reports some valid
 * properties as violated). Each printed state is matched, by TLC's text of every variable's value,
 * against the initial states and then the successors of the previous state.
 */
import type { LoadedModel } from "../../src/load.js";
import type { State } from "../../src/model.js";

/** The variable assignments of each `State N:` block TLC printed (the closing Stuttering line excluded). */
export function tlcStateBlocks(output: string): Map<string, string>[] {
  const blocks: Map<string, string>[] = [];
  let current: string[] | null = null;
  const flush = (): void => {
    if (current === null) return;
    const assignments = new Map<string, string>();
    // "/\ x = v" per variable (values may continue on the next lines), or "x = v" for one variable.
    const text = current.join("\n");
    const parts = text.startsWith("/\\ ") ? text.slice(3).split(/\n\/\\ /) : [text];
    for (const part of parts) {
      const m = /^(\w+) = ([\s\S]*)$/.exec(part);
      if (m) assignments.set(m[1]!, m[2]!.replace(/\s+/g, " ").trim());
    }
    blocks.push(assignments);
    current = null;
  };
  for (const line of output.split(/\r?\n/)) {
    if (/^State \d+: /.test(line)) {
      flush();
      if (!/^State \d+: Stuttering\s*$/.test(line)) current = [];
    } else if (current !== null) {
      if (line.trim() === "") flush();
      else current.push(line);
    }
  }
  flush();
  return blocks;
}

/**
 * The model's states along TLC's printed trace, or a message saying where they could not be
 * matched (a state TLC printed that is no initial state / no successor of the previous one).
 */
export function tlcTraceStates(output: string, model: LoadedModel): State[] | string {
  const blocks = tlcStateBlocks(output);
  const text = (s: State): Map<string, string> => new Map(model.variables.map((v, i) => [v, model.values.format(s[i]).replace(/\s+/g, " ").trim()]));
  const matches = (s: State, block: Map<string, string>): boolean => {
    const mine = text(s);
    return model.variables.every((v) => mine.get(v) === block.get(v));
  };
  const states: State[] = [];
  for (const [k, block] of blocks.entries()) {
    const candidates = k === 0 ? model.initStates({ level: 1 }).map((x) => x.state) : [states[k - 1]!, ...model.successors(states[k - 1]!, { level: k }).map((x) => x.state)];
    const found = candidates.find((s) => matches(s, block));
    if (!found) return `TLC's state ${k + 1} (${[...block].map(([v, t]) => `${v} = ${t}`).join(", ")}) is not ${k === 0 ? "an initial state" : `a successor of state ${k}`}`;
    states.push(found);
  }
  return states;
}
