import type { NodeId, ProtocolNode, Rng } from "@synod/protocol";
import { Simulation } from "../src/index.js";
import type { NodeContext, SimulationOptions } from "../src/index.js";

/** Simulation options with test defaults: constant 1 ms links, generous budget. */
export function simOptions<Msg, Cmd, Res>(
  createNode: (id: NodeId, rng: Rng, ctx: NodeContext) => ProtocolNode<Msg, Cmd, Res>,
  overrides: Partial<SimulationOptions<Msg, Cmd, Res>> = {},
): SimulationOptions<Msg, Cmd, Res> {
  return {
    seed: 1,
    nodes: ["n1", "n2", "n3"],
    createNode,
    network: { latency: { type: "constant", ms: 1 } },
    budget: { maxTimeMs: 10_000, maxEvents: 1_000_000 },
    ...overrides,
  };
}

/** A simulation with test defaults. */
export function makeSim<Msg, Cmd, Res>(
  createNode: (id: NodeId, rng: Rng, ctx: NodeContext) => ProtocolNode<Msg, Cmd, Res>,
  overrides: Partial<SimulationOptions<Msg, Cmd, Res>> = {},
): Simulation<Msg, Cmd, Res> {
  return new Simulation(simOptions(createNode, overrides));
}

/** The seed for a randomized test: `SEED=` overrides, and it is printed so any run can be replayed. */
export function testSeed(name: string, fallback: number): number {
  const env = process.env.SEED;
  const seed = env === undefined ? fallback : Number(env);
  console.log(`[${name}] seed=${seed} (replay with SEED=${seed})`);
  return seed;
}
