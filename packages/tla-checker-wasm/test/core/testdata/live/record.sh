#!/bin/sh
# Records TLC's liveness normal form for each cfg here: the per-solution debug line
# (Liveness.debug) and the tableau of the last solution that has one (Liveness.tableauExportPath), into
# <cfg>.tlc.txt and <cfg>.dot (the spec is Live.tla unless the cfg says "\* module: Name"). Needs Java and TLC's jar:
#   SYNOD_TLC_JAR=/path/tla2tools.jar sh record.sh [Name.cfg ...]
# TLC's debug line passes the action-check count where it says "state check(s)" and vice versa,
# and its "possible error model(s)" is the number of disjuncts of all solutions together.
set -e
# The spec a cfg is for: its "\* module: Name" line, else Live.
module() { sed -n 's/^\\\* module: *//p' "$1" | head -1 | grep . || echo Live; }
here=$(cd "$(dirname "$0")" && pwd)
jar=${SYNOD_TLC_JAR:?set SYNOD_TLC_JAR to tla2tools.jar}
tmp=$(mktemp -d)
cp "$here"/*.tla "$here"/*.cfg "$tmp"/
cd "$tmp"
for cfg in ${*:-$(cd "$here" && ls *.cfg)}; do
  base=${cfg%.cfg}
  rm -f tb.dot
  java -XX:+UseParallelGC -Dtlc2.tool.liveness.Liveness.debug=true \
    -Dtlc2.tool.liveness.Liveness.tableauExportPath="$tmp/tb.dot" \
    -cp "$jar" tlc2.TLC -fp 0 -workers 1 -config "$cfg" "$(module "$cfg").tla" > out.txt 2>&1 || true
  grep -E "^Warning: Temporal properties|Implied-temporal|TLC cannot|Temporal formulas containing|Error: (Temporal|The following)" out.txt > "$here/$base.tlc.txt" || true
  if [ -f tb.dot ]; then cp tb.dot "$here/$base.dot"; else rm -f "$here/$base.dot"; fi
done
rm -rf "$tmp"
