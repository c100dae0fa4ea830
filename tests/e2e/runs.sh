#!/usr/bin/env bash
# Recorded runs through the real kneecheck binary: `runs import` of the
# fixture exports into a database of its own, `runs` in its three formats
# checked against sums by hand, a second import that adds nothing, a file
# that cannot be read, and `history --forget` taking the runs with it.
#   tests/e2e/runs.sh PATH/TO/kneecheck PROJECT_DIR
set -uo pipefail

kneecheck=$1
project=$2
fixtures=$project/tests/runs/fixtures
. "$project/tests/bin/harness.sh"
harness_start
# Days are the runner's: UTC here, so that they do not depend on this machine.
export TZ=UTC HOME=$work/home XDG_CONFIG_HOME=$work/config
unset KNEECHECK_UNITS KNEECHECK_DB XDG_DATA_HOME

# The value of a JsonLogic "var" path in a JSON file, by kneecheck itself.
json_var() { "$kneecheck" logic "{\"var\": \"$2\"}" "@$1"; }

db=$work/runner/history.db
on=(--date 2024-06-30)
exports=("$fixtures/strava_export" "$fixtures/plain/runs.csv" "$fixtures/garmin/Activities.csv")

# --- nothing stored yet --------------------------------------------------------------
run "runs with no database" 0 --db "$db" runs "${on[@]}" &&
  expect out "No runs stored yet. Import them with 'kneecheck runs import PATH'"
run "runs --format json with no database" 0 --db "$db" runs --format json "${on[@]}" &&
  expect err "No runs stored yet." && expect out '"weeks": [' '"first_day": null'
check "runs creates no database" test ! -e "$work/runner"

# --- the first import ------------------------------------------------------------------
# The Strava export: 9 runs and a ride, in activities.csv and 5 activity
# files; the plain CSV: 4 runs; Garmin's CSV: 3 runs of 2020 and a ride.
run "runs import: a Strava export folder, a plain CSV and a Garmin CSV" 0 --db "$db" runs import "${exports[@]}" \
  "${on[@]}" &&
  expect out "Imported 16 runs from 8 files (2 other sports passed over) into $db; 144 km since 2020-06-28." &&
  expect_empty err
check "runs import: one line on standard output" test "$(wc -l <"$work/out")" = 1
check "the database is created, private" test "$(stat -c %a "$db")" = 600 -a "$(stat -c %a "$work/runner")" = 700

# --- runs as text ----------------------------------------------------------------------------
# Week to 30 Jun: Strava GPX 10.01 + TCX 8 + FIT 18 + manual 5, plain 5 + 3.1 mi + 8 m;
# to 23 Jun: 15 + 6, plain 6; to 16 Jun: 10; to 9 Jun: 8; to 5 May: 20.
run "runs as text" 0 --db "$db" runs "${on[@]}" &&
  expect out "Runs in the 12 weeks to 30 Jun 2024" "Week ending    Distance  Runs     Longest" \
    "14 Apr 2024      0.0 km     0           -" "5 May 2024      20.0 km     1     20.0 km" \
    "9 Jun 2024       8.0 km     1      8.0 km" "16 Jun 2024     10.0 km     1     10.0 km" \
    "23 Jun 2024     27.0 km     3     15.0 km" "30 Jun 2024     59.0 km     7     18.0 km" \
    "Distance each week, 0 to 59.0 km" "  23 Jun 2024  #########...........  27.0" \
    "  30 Jun 2024  ####################  59.0" \
    "  Pegasus 40       46.0 km       46.0 km" "  Old Boost        48.0 km       28.0 km" \
    "In these 12 weeks: 13 runs, 124.0 km." "In all: 16 runs, 144.0 km since 28 Jun 2020."
check "text: twelve weeks, oldest first" \
  test "$(grep -cE '^[0-9]+ [A-Z][a-z]{2} 2024 ' "$work/out")" = 12 -a "$(sed -n 4p "$work/out" | cut -c1-11)" = "14 Apr 2024"
run "runs --units mi" 0 --db "$db" runs --units mi "${on[@]}" &&
  expect out "30 Jun 2024     36.7 mi     7     11.2 mi" "In all: 16 runs, 89.5 mi since 28 Jun 2020."

# --- runs as CSV and JSON ------------------------------------------------------------------------
run "runs as CSV" 0 --db "$db" runs --format csv "${on[@]}"
check "CSV: a header and twelve rows, CRLF line ends" test "$(grep -c $'\r$' "$work/out")" = 13
check "CSV: the header" test "$(head -n 1 "$work/out")" = $'week_first_day,week_last_day,distance_km,runs,longest_km\r'
expect out $'2024-04-08,2024-04-14,0.00,0,0.00\r' $'2024-04-29,2024-05-05,20.00,1,20.00\r' \
  $'2024-06-17,2024-06-23,27.00,3,15.00\r' $'2024-06-24,2024-06-30,59.00,7,18.00\r'
run "runs as CSV to a file" 0 --db "$db" runs --format csv -o "$work/weeks.csv" "${on[@]}" &&
  check "-o writes the file, nothing on stdout" test -s "$work/weeks.csv" -a ! -s "$work/out"
run "runs as JSON" 0 --db "$db" runs --format json "${on[@]}"
cp "$work/out" "$work/runs.json"
check "JSON: the check-in day, unit and twelve weeks" \
  test "$(json_var "$work/runs.json" check_in) $(json_var "$work/runs.json" unit) $(json_var "$work/runs.json" weeks.11.last_day) $(json_var "$work/runs.json" weeks.0.first_day)" = \
  '"2024-06-30" "km" "2024-06-30" "2024-04-08"'
check "JSON: the last week" test "$(json_var "$work/runs.json" weeks.11)" = \
  '{"distance":59.0,"first_day":"2024-06-24","last_day":"2024-06-30","longest":18.0,"runs":7}'
check "JSON: the week to 23 Jun" \
  test "$(json_var "$work/runs.json" weeks.10.distance) $(json_var "$work/runs.json" weeks.10.runs)" = "27.0 3"
check "JSON: the shoes" test "$(json_var "$work/runs.json" shoes)" = \
  '[{"distance":46.0,"last_28_days":46.0,"name":"Pegasus 40"},{"distance":48.0,"last_28_days":28.0,"name":"Old Boost"}]'
check "JSON: the totals" test "$(json_var "$work/runs.json" totals)" = '{"distance":144.01,"first_day":"2020-06-28","runs":16}'

# --- importing again -----------------------------------------------------------------------------
run "the same files again add nothing" 0 --db "$db" runs import "${exports[@]}" "${on[@]}" &&
  expect out "Imported 0 runs from 8 files (16 already stored, 2 other sports passed over) into $db; 144 km since 2020-06-28."
run "an activity file already stored from its CSV row adds nothing" 0 --db "$db" runs import \
  "$fixtures/strava_export/activities/1003.fit" "${on[@]}" &&
  expect out "Imported 0 runs from 1 file (1 already stored) into $db"
run "runs are unchanged" 0 --db "$db" runs --format json "${on[@]}" &&
  check "still 16 runs" test "$(json_var "$work/out" totals.runs)" = 16

# --- files that cannot be read ------------------------------------------------------------------
printf 'not,a,csv\n1,2,3\n' >"$work/notes.csv"
other=$work/other.db
run "a missing file and a CSV of something else are named, the others stored, exit 2" 2 --db "$other" runs import \
  "$work/missing.gpx" "$work/notes.csv" "$fixtures/plain/runs.csv" "${on[@]}" &&
  expect err "kneecheck: $work/missing.gpx: error: " "kneecheck: $work/notes.csv:line 1: error: " &&
  expect out "Imported 4 runs from 2 files into $other; 24 km since 2024-06-22."
run "a CSV without a unit is in --units" 0 --db "$work/miles.db" --units mi runs import "$fixtures/plain/runs.csv" &&
  expect out "Imported 4 runs from 1 file into $work/miles.db; 17 mi since 2024-06-22."

# --- forgetting --------------------------------------------------------------------------------------
run "--forget from a script needs --yes, and names the runs" 2 --db "$db" history --forget &&
  expect err "pass --yes to delete all 0 check-ins and 16 runs in $db"
run "history --forget --yes deletes the runs" 0 --db "$db" history --forget --yes &&
  expect out "Deleted 0 check-ins and 16 runs from $db."
run "after --forget: no runs" 0 --db "$db" runs "${on[@]}" && expect out "No runs stored yet."
run "after --forget: nothing to forget" 0 --db "$db" history --forget && expect out "No check-ins or runs yet."

harness_finish "runs end-to-end"
