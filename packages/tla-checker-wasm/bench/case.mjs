// One bench case in its own process, so that peak memory (maxRSS) is this case's alone.
// Usage: node bench/case.mjs <spec.tla> <cfg> <workers>   -> one JSON line on stdout
import { checkSpec } from "../dist/api.js";

const [spec, cfg, workers] = process.argv.slice(2);
const result = await checkSpec({ spec: { path: spec }, cfg: { path: cfg }, workers: Number(workers) });
const usage = process.resourceUsage();
process.stdout.write(
  `${JSON.stringify({
    verdict: result.verdict,
    distinct: result.distinct,
    generated: result.generated,
    depth: result.depth,
    seconds: result.seconds,
    cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
    maxRssMB: usage.maxRSS / 1024,
    error: result.error?.message,
  })}\n`,
);
