/**
 * The command line of run.mjs.
 *
 * @module
 */
import { SCENARIOS } from "./scenarios.mjs";

/**
 * Parse the command line; throws naming the flag for anything unknown or malformed.
 * @param {string[]} argv
 */
export function parseArgs(argv) {
  const o = { system: "both", scenario: "all", rounds: 3, out: null, port: 23400 };
  const known = new Set(["--system", "--scenario", "--rounds", "--out", "--port"]);
  for (let k = 0; k < argv.length; k += 2) {
    const flag = argv[k];
    const v = argv[k + 1];
    if (!known.has(flag)) throw new Error(`unknown flag ${JSON.stringify(flag)} (flags: ${[...known].join(", ")})`);
    if (v === undefined) throw new Error(`${flag}: missing its value`);
    const int = (min) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < min) throw new Error(`${flag}: expected an integer >= ${min}, got ${JSON.stringify(v)}`);
      return n;
    };
    if (flag === "--system") {
      if (!["both", "etcd", "synod"].includes(v)) throw new Error(`--system: expected both, etcd or synod, got ${JSON.stringify(v)}`);
      o.system = v;
    } else if (flag === "--scenario") {
      if (v !== "all" && !(v in SCENARIOS)) throw new Error(`--scenario: expected all or one of ${Object.keys(SCENARIOS).join(", ")}, got ${JSON.stringify(v)}`);
      o.scenario = v;
    } else if (flag === "--rounds") o.rounds = int(1);
    else if (flag === "--port") o.port = int(1024);
    else if (flag === "--out") o.out = v;
  }
  return o;
}
