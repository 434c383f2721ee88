// One bench case in its own process, so that peak memory (maxRSS) and CPU time are this case's
// alone (all threads: the worker threads of a 2-worker run included).
// Usage: node bench/case.mjs <spec.tla> <cfg> <workers> [libDir...]   -> one JSON line on stdout
import { checkSpec } from "../dist/api.js";

const [spec, cfg, workers, ...libDirs] = process.argv.slice(2);
const result = await checkSpec({
  spec: { path: spec },
  cfg: { path: cfg },
  workers: Number(workers),
  ...(libDirs.length > 0 ? { libDirs } : {}),
});
const usage = process.resourceUsage();
process.stdout.write(
  `${JSON.stringify({
    verdict: result.verdict,
    name: result.name,
    distinct: result.distinct,
    generated: result.generated,
    depth: result.depth,
    seconds: result.seconds,
    cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
    maxRssMB: usage.maxRSS / 1024,
    error: result.error?.message,
  })}\n`,
);
