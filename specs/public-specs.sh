#!/bin/sh
# Reproduce the "Public specs" tables of specs/lock, specs/2pc and specs/election: clone each
# repository of specs/public-specs.json at its commit (into $PUBLIC_SPECS_DIR, default
# /tmp/synod-public-specs; nothing is cloned into this repository), then run both checkers on every
# model with packages/tla-checker-wasm/scripts/public-specs.mjs. Extra arguments go to that script
# (e.g. --group lock, --only redlock, --skip PaxosCommit, --cpu-limit 300).
#
#   SYNOD_TLC_JAR=/path/to/tla2tools.jar sh specs/public-specs.sh [ARGS...]
#
# PUBLIC_SPECS_LIST names another list of the same form (specs/public-specs-beyond.json: models
# beyond tlaplus/Examples and TLC's own regression suite; give it --lib with CommunityModules'
# modules/ folder, which etcd-io/raft's model extends).
#
# Needs git, java (TLC) and the built tla-check (npx -y pnpm@10 --filter @synod/tla-checker-wasm build).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
dir=${PUBLIC_SPECS_DIR:-/tmp/synod-public-specs}
: "${SYNOD_TLC_JAR:?set SYNOD_TLC_JAR to TLC's tla2tools.jar}"
mkdir -p "$dir"
args=""
list=${PUBLIC_SPECS_LIST:-$here/public-specs.json}
for pair in $(node -e 'const l=require(process.argv[1]); const s=new Set(l.models.map(m=>m.repo+"@"+m.commit)); console.log([...s].join(" "))' "$list"); do
  repo=${pair%@*}
  commit=${pair#*@}
  dest="$dir/$(echo "$repo" | tr / +)"
  if [ ! -d "$dest/.git" ]; then
    git clone --quiet "https://github.com/$repo.git" "$dest"
  fi
  git -C "$dest" checkout --quiet "$commit"
  args="$args --checkout $repo=$dest"
done
cd "$root/packages/tla-checker-wasm"
# shellcheck disable=SC2086
exec node scripts/public-specs.mjs --list "$list" $args --jar "$SYNOD_TLC_JAR" "$@"
