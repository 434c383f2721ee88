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
  const o = { system: "both", scenario: "all", levels: [1, 4, 8], seconds: 10, rounds: 3, out: null, port: 23100, batchEvents: 1, resendMs: 1000, synodRaft: {} };
  const known = new Set(["--system", "--scenario", "--clients", "--seconds", "--rounds", "--out", "--port", "--batch-events", "--resend-ms", "--synod-raft"]);
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
      if (!["both", "zookeeper", "synod"].includes(v)) throw new Error(`--system: expected both, zookeeper or synod, got ${JSON.stringify(v)}`);
      o.system = v;
    } else if (flag === "--scenario") {
      if (v !== "all" && !(v in SCENARIOS)) throw new Error(`--scenario: expected all or one of ${Object.keys(SCENARIOS).join(", ")}, got ${JSON.stringify(v)}`);
      o.scenario = v;
    } else if (flag === "--clients") {
      o.levels = v.split(",").map((x, i) => {
        const n = Number(x);
        if (!Number.isInteger(n) || n < 1 || n > 16) throw new Error(`--clients entry ${i + 1}: expected an integer in 1..16, got ${JSON.stringify(x)}`);
        return n;
      });
    } else if (flag === "--seconds") o.seconds = int(1);
    else if (flag === "--rounds") o.rounds = int(1);
    else if (flag === "--port") o.port = int(1024);
    else if (flag === "--batch-events") o.batchEvents = int(1);
    else if (flag === "--resend-ms") o.resendMs = int(1);
    else if (flag === "--synod-raft") {
      let r;
      try {
        r = JSON.parse(v);
      } catch (e) {
        throw new Error(`--synod-raft: not JSON (${e.message})`);
      }
      if (typeof r !== "object" || r === null || Array.isArray(r)) throw new Error("--synod-raft: expected a JSON object of Raft options");
      o.synodRaft = r;
    }
    else if (flag === "--out") o.out = v;
  }
  return o;
}

