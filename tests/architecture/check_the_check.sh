#!/usr/bin/env bash
# The test of check_layers.sh: on a tree with planted breaches it must fail,
# naming each file, line and what is wrong, and pass over allowed includes.
#   tests/architecture/check_the_check.sh
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
output=$("$here/check_layers.sh" "$here/planted" 2>&1)
status=$?
failed=0
expect() {
  if ! grep -qF -- "$1" <<<"$output"; then
    echo "FAIL: check_layers.sh did not report: $1" >&2
    failed=1
  fi
}
[ "$status" -eq 1 ] || { echo "FAIL: exit $status on the planted tree, expected 1" >&2; failed=1; }
expect 'src/base/date.cpp:6: base/ (layer 0) includes cli/ (layer 9), which is not below it: "kneecheck/cli/cli.hpp"'
expect 'include/kneecheck/logic/logic.hpp:4: logic/ may not use sqlite3 (<sqlite3.h>), which only history/ may use'
expect 'src/report/text.cpp:3: report/ includes a private header of engine/: "engine/scoring.hpp"'
expect '3 include(s) break the layering'
if grep -q 'src/engine/engine.cpp' <<<"$output"; then
  echo "FAIL: an allowed include was reported: $(grep 'src/engine/engine.cpp' <<<"$output")" >&2
  failed=1
fi
[ "$failed" -eq 0 ] && echo "check_layers.sh reports every planted breach and nothing else"
exit "$failed"
