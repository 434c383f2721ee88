#!/usr/bin/env bash
# Reproduces the TLC figures recorded in README.md and expected.json. Never run by tests
# (the project's tests need neither Java nor TLC); run it by hand from anywhere:
#
#   specs/paxos/tlc.sh                 every model
#   specs/paxos/tlc.sh MCMultiPaxos.cfg ...  only the named cfgs
#
# TLC_JAR overrides the jar (default /work/shared/tools/tla2tools.jar). Prints one JSON
# object per model in expected.json's shape, plus seconds, and keeps TLC's full output in
# $OUT (default /tmp/synod-paxos-tlc/<cfg>.log).
set -euo pipefail
cd "$(dirname "$0")"
JAR=${TLC_JAR:-/work/shared/tools/tla2tools.jar}
OUT=${OUT:-/tmp/synod-paxos-tlc}
mkdir -p "$OUT"

# cfg  spec  size ("ci" entries are the ones `synod verify` re-checks with our checker)
MODELS=(
  "MCPaxos.cfg MCPaxos.tla ci"
  "MCPaxosBrokenRecovery.cfg MCPaxosBrokenRecovery.tla ci"
  "MCPaxosLiveness.cfg MCPaxosLiveness.tla ci"
  "MCPaxosLivenessBroken.cfg MCPaxosLiveness.tla ci"
  "MCMultiPaxos.cfg MCMultiPaxos.tla ci"
  "MCMultiPaxosGaps.cfg MCMultiPaxos.tla ci"
  "MCMultiPaxosLease.cfg MCMultiPaxos.tla ci"
  "MCMultiPaxosBrokenRecovery.cfg MCMultiPaxosBrokenRecovery.tla ci"
  "MCMultiPaxosBrokenPromise.cfg MCMultiPaxosBrokenPromise.tla ci"
  "MCMultiPaxosBrokenLease.cfg MCMultiPaxosBrokenLease.tla ci"
  "MCMultiPaxosBrokenLeaseRestart.cfg MCMultiPaxosBrokenLeaseRestart.tla ci"
  "MCPaxosFull.cfg MCPaxos.tla full"
  "MCMultiPaxosFull.cfg MCMultiPaxos.tla full"
  "MCMultiPaxosLeaseFull.cfg MCMultiPaxos.tla full"
  "MCMultiPaxosLeaseCrashFull.cfg MCMultiPaxos.tla full"
)
want=("$@")
for row in "${MODELS[@]}"; do
  read -r cfg spec size <<<"$row"
  if [ ${#want[@]} -gt 0 ] && [[ ! " ${want[*]} " =~ " $cfg " ]]; then continue; fi
  [ -f "$cfg" ] || continue
  log="$OUT/$cfg.log"
  start=$(date +%s.%N)
  java -XX:+UseParallelGC -cp "$JAR" tlc2.TLC -workers 1 -noGenerateSpecTE -metadir "$OUT/meta-$cfg" \
    -config "$cfg" "$spec" >"$log" 2>&1 || true
  end=$(date +%s.%N)
  secs=$(awk "BEGIN { print $end - $start }")
  gen=$(grep -oE '^[0-9]+ states generated' "$log" | tail -1 | cut -d' ' -f1)
  dist=$(grep -oE '[0-9]+ distinct states found' "$log" | tail -1 | cut -d' ' -f1)
  depth=$(grep -oE 'depth of the complete state graph search is [0-9]+' "$log" | grep -oE '[0-9]+$' || echo null)
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
done
if [ -n "${log:-}" ]; then head -1 "$log" | sed "s/^/# /" >&2; fi
