#!/usr/bin/env bash
# TLC's figures for the models of a spec folder, as `expected.json` records them. Never run by
# tests (the project's tests need neither Java nor TLC); run it by hand from anywhere:
#
#   scripts/tlc.sh specs/raft                  every model listed in specs/raft/expected.json
#   scripts/tlc.sh specs/raft MCRaft.cfg ...   only the named cfgs
#
# TLC_JAR overrides the jar (default /work/shared/tools/tla2tools.jar). Prints one JSON object
# per model in expected.json's shape, plus seconds, and keeps TLC's full output in $OUT
# (default /tmp/synod-<folder>-tlc/<cfg>.log). TLC runs with -fp 0: which lasso its liveness check
# reports depends on its fingerprint polynomial, which is random per run otherwise (tla-check
# reproduces the -fp 0 one).
set -euo pipefail
if [ $# -lt 1 ] || [ ! -f "$1/expected.json" ]; then
  echo "usage: scripts/tlc.sh <spec folder with expected.json> [cfg ...]" >&2
  exit 2
fi
dir=$(cd "$1" && pwd)
shift
JAR=${TLC_JAR:-/work/shared/tools/tla2tools.jar}
OUT=${OUT:-/tmp/synod-$(basename "$dir")-tlc}
mkdir -p "$OUT"
cd "$dir"

# cfg, spec and size of every entry: the list lives in expected.json only.
models=$(node -e 'for (const e of require(process.argv[1])) console.log(`${e.cfg} ${e.spec ?? e.cfg.replace(/\.cfg$/, ".tla")} ${e.size}`)' "$dir/expected.json")

want=("$@")
while read -r cfg spec size; do
  if [ ${#want[@]} -gt 0 ] && [[ ! " ${want[*]} " =~ " $cfg " ]]; then continue; fi
  log="$OUT/$cfg.log"
  start=$(date +%s.%N)
  java -XX:+UseParallelGC -cp "$JAR" tlc2.TLC -workers 1 -fp 0 -noGenerateSpecTE -metadir "$OUT/meta-$cfg" \
    -config "$cfg" "$spec" >"$log" 2>&1 || true
  end=$(date +%s.%N)
  secs=$(awk "BEGIN { print $end - $start }")
  gen=$(grep -oE '^[0-9]+ states generated' "$log" | tail -1 | cut -d' ' -f1)
  dist=$(grep -oE '[0-9]+ distinct states found' "$log" | tail -1 | cut -d' ' -f1)
  depth=$(grep -oE 'depth of the complete state graph search is [0-9]+' "$log" | grep -oE '[0-9]+$' || echo null)
  # "State n: <Action ...>" lines only: a lasso's "State n: Stuttering" is not a state of the trace.
  trace=$(grep -oE '^State [0-9]+: <' "$log" | tail -1 | grep -oE '[0-9]+' || echo null)
  name=null
  if grep -q 'No error has been found' "$log"; then verdict=ok; trace=null
  elif n=$(grep -oE '^Error: Invariant [A-Za-z0-9_]+ is violated' "$log"); then
    verdict=invariant; name="\"$(echo "$n" | awk '{print $3}')\""
  elif n=$(grep -oE '^Error: Action property [A-Za-z0-9_]+ is violated' "$log"); then
    verdict=property; name="\"$(echo "$n" | awk '{print $4}')\""
  elif grep -q 'Temporal properties were violated' "$log"; then verdict=liveness
  elif grep -q 'Deadlock reached' "$log"; then verdict=deadlock
  else verdict=error; fi
  printf '{ "spec": "%s", "cfg": "%s", "size": "%s", "verdict": "%s", "name": %s, "distinct": %s, "generated": %s, "depth": %s, "traceLength": %s, "seconds": %.1f }\n' \
    "$spec" "$cfg" "$size" "$verdict" "$name" "${dist:-null}" "${gen:-null}" "$depth" "$trace" "$secs"
done <<<"$models"
if [ -n "${log:-}" ]; then head -1 "$log" | sed "s/^/# /" >&2; fi
