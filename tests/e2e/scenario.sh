#!/usr/bin/env bash
# End-to-end tests of `kneecheck test`: the shipped cases pass, a failing case
# says what it expected and what it got, JUnit XML for CI, and exit codes.
#   tests/e2e/scenario.sh PATH/TO/kneecheck PROJECT_DIR
set -uo pipefail

kneecheck=$1
project=$2
. "$project/tests/bin/harness.sh"
harness_start





# expect_last_line FILE PATTERN: the last line of $work/FILE matches the
# extended regular expression PATTERN as a whole.
expect_last_line() {
  if tail -n 1 "$work/$1" | grep -qxE -- "$2"; then ok; else fail "last line of $1 is not /$2/"; fi
}

# --- the shipped cases -------------------------------------------------------
run "shipped cases pass" 0 test "$project/data/cases" && expect_last_line out "[0-9]+ passed, 0 failed"
count=$(tail -n 1 "$work/out" | cut -d' ' -f1)
current="at least 30 shipped cases"
if [ "${count:-0}" -ge 30 ]; then ok; else fail "only ${count:-0} cases"; fi

# --- a failing case ----------------------------------------------------------
mkdir -p "$work/cases"
cp "$project/data/cases/top_overuse_training_errors_1.json" "$work/cases/good.json"
sed 's/"escalation": "self_care"/"escalation": "urgent"/' "$project/data/cases/top_overuse_training_errors_1.json" \
  >"$work/cases/wrong_escalation.json"
run "a failing case exits 1" 1 test "$work/cases" &&
  expect out "FAIL wrong_escalation" "escalation: expected urgent, got self_care" &&
  expect_last_line out "1 passed, 1 failed"

# --- JUnit XML -----------------------------------------------------------------
run "--junit writes the results" 1 test "$work/cases" --junit "$work/out.xml" &&
  expect out.xml "<testsuite" 'failures="1"' 'tests="2"' "<failure message=\"escalation: expected urgent, got self_care\""
if command -v xmllint >/dev/null; then
  current="JUnit XML is well-formed"
  if xmllint --noout "$work/out.xml" 2>"$work/err"; then ok; else fail "xmllint: $(cat "$work/err")"; fi
fi
current="no temporary file left beside the JUnit XML"
if ls "$work" | grep -q tmp-; then fail "found $(ls "$work" | grep tmp-)"; else ok; fi
run "--junit into a missing folder" 2 test "$work/cases/good.json" --junit "$work/missing/out.xml" &&
  expect err "cannot write"

# --- malformed cases and usage errors -------------------------------------------
printf '{"answers": {}, "expect": {"topp": null}}' >"$work/typo.json"
run "unknown expectation" 1 test "$work/typo.json" &&
  expect out "typo.json: at /expect/topp: unknown expectation \"topp\" (did you mean \"top\"?)"
printf '{"answers": {,}}' >"$work/syntax.json"
run "case with a syntax error" 1 test "$work/syntax.json" && expect out "syntax.json:1:" "invalid JSON"
run "missing path" 2 test "$work/nope" && expect err "nope: no such file or folder"
run "no path" 2 test && expect err "test:"
mkdir -p "$work/empty"
run "folder without cases" 2 test "$work/empty" && expect err "no case files"

harness_finish "scenario e2e"
