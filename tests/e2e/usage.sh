#!/usr/bin/env bash
# Every row of usage.table: a wrong invocation gets its exact message as the
# first line on standard error, its exit code, and nothing on standard output.
#   tests/e2e/usage.sh PATH/TO/kneecheck PROJECT_DIR
set -uo pipefail

kneecheck=$1
project=$2
. "$project/tests/bin/harness.sh"
harness_start
export KNEECHECK_DB=$work/history.db HOME=$work XDG_CONFIG_HOME=$work/config
unset KNEECHECK_UNITS

trim() { sed -E 's/^ +//; s/ +$//' <<<"$1"; }

rows=0
while IFS= read -r line; do
  case $line in '#'* | '') continue ;; esac
  rows=$((rows + 1))
  IFS='|' read -r arguments code message <<<"$line"
  arguments=$(trim "$arguments")
  code=$(trim "$code")
  message=$(trim "$message")
  read -ra words <<<"$arguments"
  run "kneecheck $arguments" "$code" "${words[@]}" || continue
  first=$(head -n 1 "$work/err")
  if [ "$first" = "$message" ]; then ok; else fail "kneecheck $arguments: said \"$first\", expected \"$message\""; fi
  if [ -s "$work/out" ]; then fail "kneecheck $arguments: wrote to standard output"; else ok; fi
done <"$project/tests/e2e/usage.table"
if [ "$rows" -ge 40 ]; then ok; else fail "usage.table has $rows rows, expected at least 40"; fi
harness_finish "usage errors ($rows rows)"
