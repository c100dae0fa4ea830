#!/usr/bin/env bash
# Checks kneecheck's FIT decoder against Garmin's FIT JavaScript SDK (tests
# only, never part of kneecheck):
#   - make_fit_fixtures.mjs, run again with the pinned SDK, writes the FIT
#     fixtures byte for byte as committed (and 1004.fit.gz holds fit/1004.fit);
#   - for every FIT fixture, the running sessions the SDK decodes (start,
#     distance, sport) are the runs kneecheck reads.
#
#   tests/runs/fit_sdk_check.sh PATH/TO/runs_summary PROJECT_DIR
#
# The SDK, as package-lock.json beside this script pins it, is installed with
# `npm ci` into the build folder (beside runs_summary, never the source tree)
# and reused offline from then on. Prints "fit_sdk: N passed, N failed";
# exits 1 on a failure, 77 (a skip for ctest) when node, npm or the registry
# cannot be had.
set -uo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 PATH/TO/runs_summary PROJECT_DIR" >&2
  exit 2
fi
summary=$(realpath "$1")
project=$(realpath "$2")
here=$project/tests/runs
fixtures=$here/fixtures
sdk_dir=$(dirname "$summary")/fit-sdk
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

passed=0
failed=0
ok() { passed=$((passed + 1)); }
fail() {
  echo "FAIL: $1" >&2
  failed=$((failed + 1))
}

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "SKIP: fit_sdk: node and npm are not installed"
  exit 77
fi
if ! cmp -s "$here/package-lock.json" "$sdk_dir/package-lock.json" || [ ! -f "$sdk_dir/node_modules/@garmin/fitsdk/package.json" ]; then
  echo "fit_sdk: installing Garmin's FIT SDK (npm ci) into $sdk_dir"
  rm -rf "$sdk_dir"
  mkdir -p "$sdk_dir"
  cp "$here/package.json" "$here/package-lock.json" "$sdk_dir/"
  if ! (cd "$sdk_dir" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error --fetch-timeout=60000 --fetch-retries=2) >"$work/npm.log" 2>&1; then
    echo "SKIP: fit_sdk: npm ci failed: $(tail -n 3 "$work/npm.log" | tr '\n' ' ')"
    rm -rf "$sdk_dir"
    exit 77
  fi
fi

# --- the fixtures are what the generator writes ----------------------------------

if node "$here/make_fit_fixtures.mjs" "$sdk_dir" "$work/made" 2>"$work/made.err"; then
  while IFS= read -r made; do
    relative=${made#"$work/made/"}
    if cmp -s "$made" "$fixtures/$relative"; then ok; else fail "$relative differs from what make_fit_fixtures.mjs writes"; fi
  done < <(find "$work/made" -type f | sort)
else
  fail "make_fit_fixtures.mjs failed: $(head -c 400 "$work/made.err")"
fi
if gzip -dc "$fixtures/strava_export/activities/1004.fit.gz" | cmp -s - "$fixtures/fit/1004.fit"; then ok; else
  fail "strava_export/activities/1004.fit.gz does not hold fit/1004.fit"
fi

# --- both decoders agree ----------------------------------------------------------

mapfile -t fit_files < <(find "$fixtures" -name '*.fit' | sort)
for file in "${fit_files[@]}"; do
  name=${file#"$fixtures/"}
  if ! node "$here/fit_sdk_sessions.mjs" "$sdk_dir" "$file" >"$work/sdk.tsv" 2>"$work/sdk.err"; then
    fail "$name: the SDK cannot decode it: $(head -c 300 "$work/sdk.err")"
    continue
  fi
  if ! "$summary" "$file" >"$work/ours.tsv" 2>"$work/ours.err"; then
    fail "$name: kneecheck cannot read it: $(head -c 300 "$work/ours.err")"
    continue
  fi
  if [ ! -s "$work/sdk.tsv" ]; then
    fail "$name: the SDK finds no running session"
  elif diff -u "$work/sdk.tsv" "$work/ours.tsv" >"$work/diff.txt"; then
    ok
  else
    fail "$name: the SDK's sessions and kneecheck's runs differ:
$(cat "$work/diff.txt")"
  fi
done

echo "fit_sdk: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
