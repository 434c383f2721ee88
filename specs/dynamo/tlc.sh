#!/usr/bin/env bash
# TLC's figures for every model of this folder's expected.json, or only the named cfgs: see
# scripts/tlc.sh (specs/dynamo/tlc.sh MCModel.cfg ...).
exec "$(dirname "$0")/../../scripts/tlc.sh" "$(dirname "$0")" "$@"
