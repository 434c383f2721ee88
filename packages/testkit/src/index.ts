/**
 * `@synod/testkit`: what every protocol's tests share — a deterministic in-memory host with a
 * manual network ({@link TestCluster}), and datadriven scenario scripts ({@link runScript},
 * {@link ClusterInterpreter}) in the style of etcd/raft's `testdata/*.txt`. Randomness comes from
 * `@synod/protocol`'s `SeededRng`, the same generator the simulator uses.
 *
 * @module
 */
export { TestCluster, type HostOutput, type InFlight, type NodeFactory, type TestClusterOptions } from "./host.js";
export {
  ClusterInterpreter,
  formatReply,
  parseOptionValue,
  parseScript,
  runScript,
  type Interpreter,
  type ScriptBlock,
  type ScriptProtocol,
} from "./datadriven.js";
export { FULL, testSeed } from "./seed.js";
export { runTlc, type TlcFigures } from "./tlc.js";
