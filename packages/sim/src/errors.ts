/**
 * Errors the simulator throws. Both name the place: a configuration path such as
 * `network.links[2].from`, or the node, virtual time and step number at which a node misbehaved.
 *
 * @module
 */

/** Bad simulation options or a bad fault schedule. `path` names the offending field. */
export class SimulationConfigError extends Error {
  /** Where the problem is, e.g. `faults[3].fault.node` or `network.lossProbability`. */
  readonly path: string;

  /** @param path where the problem is; @param problem what is wrong there. */
  constructor(path: string, problem: string) {
    super(`${path}: ${problem}`);
    this.name = "SimulationConfigError";
    this.path = path;
  }
}

/**
 * A hosted node broke the step/ready contract (threw from `step`, sent to an unknown node, armed a
 * timer with a negative delay, ...). The message names the node, the virtual time and the step.
 */
export class SimulationError extends Error {
  /** @param message what happened and where; @param cause the node's own error, if any. */
  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "SimulationError";
  }
}
