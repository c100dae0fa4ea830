# The harness every shell test of kneecheck sources: a work folder of its
# own, counted checks, and running the binary with its output kept.
#
#   . "$(dirname "$0")/../bin/harness.sh"
#   harness_start            # $work, passed=0, failed=0; removed at exit
#   run NAME CODE ARGS...    # $kneecheck ARGS, stdin from $work/stdin if
#                            # written, stdout to $work/out, stderr to
#                            # $work/err; a failure unless it exits CODE
#   expect FILE TEXT...      # every TEXT occurs in $work/FILE (one check)
#   expect_not FILE TEXT...  # none does (one check)
#   expect_empty FILE
#   check NAME COMMAND...    # one check: COMMAND succeeds
#   ok / fail MESSAGE        # count one check by hand
#   harness_finish LABEL     # "LABEL: N passed, N failed"; the exit status
#
# run, expect and check return non-zero on a failure, so that checks that
# depend on an earlier one can be chained with &&. A script sets $kneecheck
# before calling run.

harness_start() {
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  passed=0
  failed=0
  current=
}

ok() { passed=$((passed + 1)); }

fail() {
  echo "FAIL: ${current:+$current: }$1" >&2
  if [ -f "$work/out" ] || [ -f "$work/err" ]; then
    echo "  stdout: $(head -c 800 "$work/out" 2>/dev/null)" >&2
    echo "  stderr: $(head -c 800 "$work/err" 2>/dev/null)" >&2
  fi
  failed=$((failed + 1))
  return 1
}

run() {
  local name=$1 expected=$2
  shift 2
  current=$name
  [ -f "$work/stdin" ] || : >"$work/stdin"
  timeout 60 "$kneecheck" "$@" <"$work/stdin" >"$work/out" 2>"$work/err"
  local actual=$?
  rm -f "$work/stdin"
  [ "$actual" -eq "$expected" ] || fail "exit code $actual, expected $expected"
}

stdin() { printf '%s' "$1" >"$work/stdin"; }
stdin_file() { cp "$1" "$work/stdin"; }

expect() {
  local file=$1
  shift
  for text in "$@"; do
    grep -qF -- "$text" "$work/$file" || { fail "$file lacks: $text"; return 1; }
  done
  ok
}

expect_not() {
  local file=$1
  shift
  for text in "$@"; do
    if grep -qF -- "$text" "$work/$file"; then fail "$file has: $text"; return 1; fi
  done
  ok
}

expect_empty() {
  if [ -s "$work/$1" ]; then fail "$1 is not empty"; else ok; fi
}

check() {
  local name=$1
  shift
  current=
  if "$@"; then ok; else fail "$name"; fi
}

harness_finish() {
  echo "$1: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
