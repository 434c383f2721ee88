/**
 * Action labels as text: `Receive(i = s2, m = [type |-> "ack"])`.
 *
 * @module
 */
import type { ActionLabel, ValueOps } from "../model.js";

/** `Name(p1 = v1, p2 = v2)`, or just `Name` when the action has no parameters. */
export function formatLabel(label: ActionLabel, values: ValueOps): string {
  if (label.params.length === 0) return label.action;
  return `${label.action}(${label.params.map(([name, v]) => `${name} = ${values.format(v)}`).join(", ")})`;
}
