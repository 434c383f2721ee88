/**
 * Traces as TLC prints them, so users' scripts and eyes carry over:
 *
 * ```
 * State 1: <Initial predicate>
 * /\ x = 0
 * /\ y = 0
 *
 * State 2: <Inc line 5, col 9 to line 5, col 18 of module M>
 * /\ x = 1
 * /\ y = 0
 * ```
 *
 * A spec with a single variable prints `x = 0` without the conjunction bullet, as TLC does.
 *
 * @module
 */
import type { ActionLabel, CompiledModel } from "../model.js";
import type { TraceStep } from "../check/types.js";

/** `<Inc line 5, col 9 to line 5, col 18 of module M>`, or `<Initial predicate>` for the first state. */
export function tlcStepHeader(label: ActionLabel, index: number): string {
  if (index === 0 || label.action === "Init") return "<Initial predicate>";
  const loc = label.location;
  if (!loc) return `<${label.action}>`;
  const module = moduleName(loc.file);
  const endLine = loc.endLine ?? loc.line;
  const endColumn = loc.endColumn ?? loc.column;
  return `<${label.action} line ${loc.line}, col ${loc.column} to line ${endLine}, col ${endColumn} of module ${module}>`;
}

/** The module a file holds: its base name without `.tla`. */
function moduleName(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.endsWith(".tla") ? base.slice(0, -4) : base;
}

/**
 * The text of a whole trace, states separated by blank lines, ending with a newline. For a
 * liveness lasso pass `loopIndex`: TLC's closing `State n: Back to state k` (or `Stuttering`).
 */
export function toTLCText(trace: readonly TraceStep[], model: CompiledModel, loopIndex?: number): string {
  const values = model.values;
  const single = model.variables.length === 1;
  const blocks = trace.map((step, i) => {
    const lines = [`State ${i + 1}: ${tlcStepHeader(step.label, i)}`];
    model.variables.forEach((name, slot) => {
      const text = `${name} = ${values.format(step.state[slot])}`;
      lines.push(single ? text : `/\\ ${text}`);
    });
    return lines.join("\n");
  });
  if (loopIndex !== undefined) {
    blocks.push(loopIndex === trace.length - 1 ? `State ${trace.length + 1}: Stuttering` : `State ${trace.length + 1}: Back to state ${loopIndex + 1}`);
  }
  return blocks.map((b) => `${b}\n`).join("\n");
}
