#!/usr/bin/env bash
# History through the real kneecheck binary: what is stored and when, where
# the database lives, `kneecheck history` in its formats, --forget, and the
# report and answers that survive a history that cannot be written.
#   tests/e2e/history.sh PATH/TO/kneecheck PROJECT_DIR
# The checks that damage a database on purpose need the sqlite3 command; they
# are reported as skipped without it.
set -uo pipefail

kneecheck=$1
project=$2
answers=${KNEECHECK_TEST_ANSWERS:?run through ctest}
typed=$project/tests/fixtures/typed/top_overuse_training_errors_1.txt
. "$project/tests/bin/harness.sh"
harness_start
# Nothing here may touch the real home: drafts, and history by default.
export HOME=$work/home XDG_STATE_HOME=$work/state
unset XDG_DATA_HOME KNEECHECK_DB



# The value of a JsonLogic "var" path in a JSON file, by kneecheck itself.
json_var() { "$kneecheck" logic "{\"var\": \"$2\"}" "@$1"; }
count_rows() { "$kneecheck" --db "$1" history --format json | "$kneecheck" logic '{"reduce": [{"var": ""}, {"+": [{"var": "accumulator"}, 1]}, 0]}' @/dev/stdin; }

db=$work/runner/history.db

# --- three check-ins a week apart --------------------------------------------
run "first check-in" 0 --db "$db" --date 2026-11-04 assess --answers "$answers/top_overuse_training_errors_1.json" &&
  expect out "1. Overuse and training errors"
check "the database is created, private" test "$(stat -c %a "$db")" = 600 -a "$(stat -c %a "$work/runner")" = 700
run "second check-in" 0 --db "$db" --date 2026-11-11 --format json assess --answers "$answers/top_overuse_training_errors_2.json"
cp "$work/out" "$work/second.json"
check "the second check-in is scored with the first" test "$(json_var "$work/second.json" history.checkins)" = 1
run "third check-in" 0 --db "$db" --date 2026-11-18 --format json assess --answers "$answers/all_clear.json"
cp "$work/out" "$work/third.json"
check "the third check-in is scored with both before it" test "$(json_var "$work/third.json" history.checkins)" = 2
run "a check-in dated before the others" 0 --db "$db" --date 2026-10-01 --format json --no-save \
  assess --answers "$answers/all_clear.json"
cp "$work/out" "$work/earlier.json"
check "only check-ins dated before an assessment count" test "$(json_var "$work/earlier.json" history.checkins)" = 0

# --- kneecheck history ---------------------------------------------------------
run "history lists the check-ins oldest first" 0 --db "$db" history &&
  expect out "Date          Pain  Most likely cause" "4 Nov 2026    3/10  Overuse and training errors  Look after it yourself" \
    "18 Nov 2026   2/10  no clear cause               Look after it yourself" "Pain at each check-in, 0 to 10" "Scores of the leading causes"
check "history: one line per check-in, in date order" \
  test "$(grep -oE '^[0-9]+ Nov 2026' "$work/out" | tr '\n' ' ')" = "4 Nov 2026 11 Nov 2026 18 Nov 2026 "
run "history reads the path after the command too" 0 history --db "$db" && expect out "11 Nov 2026"
run "history as JSON" 0 --db "$db" history --format json
cp "$work/out" "$work/history.json"
check "JSON: three check-ins" test "$(count_rows "$db")" = 3
check "JSON: every field" test "$(json_var "$work/history.json" 0.date) $(json_var "$work/history.json" 0.pain) \
$(json_var "$work/history.json" 0.top_cause) $(json_var "$work/history.json" 0.escalation) \
$(json_var "$work/history.json" 0.rules.id) $(json_var "$work/history.json" 2.top_cause) \
$(json_var "$work/history.json" 0.answers.age)" = '"2026-11-04" 3 "overuse_training_errors" "self_care" "kneecheck-default" null 34'
expect history.json '"recorded_at": "20' '"red_flags": []' '"any_cause_indicated": true' '"scores": [' '"title": "Overuse and training errors"'
run "history as CSV" 0 --db "$db" history --format csv
check "CSV: a header and three rows, CRLF line ends" test "$(grep -c $'\r$' "$work/out")" = 4
check "CSV: the header" grep -q '^date,pain,top_cause,escalation,red_flags,rules_id,rules_version,plan_week,plan_decision,score_' "$work/out"
check "CSV: a row" grep -q '^2026-11-04,3,overuse_training_errors,self_care,,kneecheck-default,' "$work/out"
run "history --output" 0 --db "$db" history --format csv --output "$work/history.csv" &&
  check "--output writes the file, nothing on stdout" test -s "$work/history.csv" -a ! -s "$work/out"
run "history --format must be text, json or csv" 2 --db "$db" history --format markdown

# --- --no-save, --db, KNEECHECK_DB and the default place -----------------------
run "--no-save stores nothing" 0 --db "$db" --no-save --date 2026-11-25 assess --answers "$answers/all_clear.json"
check "--no-save: still three check-ins" test "$(count_rows "$db")" = 3
run "--no-save creates no database" 0 --db "$work/none/history.db" --no-save assess --answers "$answers/all_clear.json"
check "--no-save: no file, no folder" test ! -e "$work/none"
KNEECHECK_DB=$work/env/history.db run "KNEECHECK_DB is where check-ins go" 0 assess --answers "$answers/all_clear.json"
check "KNEECHECK_DB: the check-in is there" test "$(count_rows "$work/env/history.db")" = 1
KNEECHECK_DB=$work/env/history.db run "KNEECHECK_DB is what history reads" 0 history && expect out "no clear cause"
KNEECHECK_DB=$work/env/history.db run "--db wins over KNEECHECK_DB" 0 --db "$db" history && expect out "4 Nov 2026"
run "by default, history is in ~/.local/share/kneecheck" 0 assess --answers "$answers/all_clear.json"
check "the default database is created, private" \
  test "$(stat -c %a "$HOME/.local/share/kneecheck/history.db" 2>&1)" = 600 -a "$(stat -c %a "$HOME/.local/share/kneecheck")" = 700
XDG_DATA_HOME=$work/xdg run "XDG_DATA_HOME moves it" 0 assess --answers "$answers/all_clear.json"
check "XDG_DATA_HOME: the check-in is there" test "$(count_rows "$work/xdg/kneecheck/history.db")" = 1

# --- what never stores ----------------------------------------------------------------
export KNEECHECK_DB=$work/never/history.db
tr -d '\n' <"$answers/all_clear.json" >"$work/batch.jsonl"
echo >>"$work/batch.jsonl"
run "assess --batch" 0 assess --batch "$work/batch.jsonl"
run "questions" 0 questions
run "validate" 0 validate
run "logic" 0 logic '{"+": [1, 2]}'
run "test" 0 test "$project/data/cases/all_clear.json"
run "history of a missing database" 0 history && expect out "No check-ins yet."
run "history --format json of a missing database" 0 history --format json && expect out "[]"
run "history --forget of a missing database" 0 history --forget && expect out "No check-ins or runs yet."
check "batch, questions, validate, logic, test and history store nothing" test ! -e "$work/never"
unset KNEECHECK_DB

# --- persistence: three weekly check-ins, pain unchanged ----------------------------------
# The same answers (pain 5, no "persists despite changes") a week apart: the
# third check-in, two weeks after the first, escalates to routine.
persist=$work/persist.db
"$kneecheck" logic '{"var": "answers"}' "@$project/data/cases/history_unchanged_pain_routine.json" >"$work/steady.json"
for date in 2026-03-01 2026-03-08; do
  run "steady pain, check-in of $date" 0 --db "$persist" --date "$date" --format json assess --answers "$work/steady.json" &&
    check "$date: self care, not yet routine" test "$(json_var "$work/out" escalation.level)" = '"self_care"'
done
run "steady pain, third check-in" 0 --db "$persist" --date 2026-03-15 --format json assess --answers "$work/steady.json" &&
  check "third check-in: routine" test "$(json_var "$work/out" escalation.level)" = '"routine"' &&
  check "third check-in: history says two earlier, 14 days, no change" \
    test "$(json_var "$work/out" history.checkins) $(json_var "$work/out" history.days_since_first) $(json_var "$work/out" history.pain_change)" = "2 14 0.0"
run "the text report says what to do" 0 --db "$persist" --date 2026-03-15 --no-save assess --answers "$work/steady.json" &&
  expect out "check-ins over two weeks or more show the pain no better"

# --- the interview -----------------------------------------------------------------------
cp "$typed" "$work/stdin"
run "a piped interview is stored" 0 --db "$work/interview.db" --date 2026-11-25
check "the interview's check-in is there" test "$(count_rows "$work/interview.db")" = 1
cp "$typed" "$work/stdin"
run "an interview with --no-save is not" 0 --db "$work/interview.db" --date 2026-11-25 --no-save
check "still one check-in" test "$(count_rows "$work/interview.db")" = 1

# --- history that cannot be used ------------------------------------------------------
echo "Monday: 10 km easy" >"$work/notes.txt"
cp "$typed" "$work/stdin"
run "an interview with a --db that is not a database stops before the first question" 2 --db "$work/notes.txt" &&
  expect err "$work/notes.txt" "not an SQLite database" && expect_not err "Question 1" && expect_not out "Overuse"
run "assess with a --db that is not a database scores nothing" 2 --db "$work/notes.txt" \
  assess --answers "$answers/all_clear.json" && expect err "$work/notes.txt: not an SQLite database"
check "the file is left as it was" test "$(cat "$work/notes.txt")" = "Monday: 10 km easy"
run "history of a file that is not a database" 2 --db "$work/notes.txt" history && expect err "$work/notes.txt"
mkdir -p "$work/locked" && chmod 500 "$work/locked"
if [ "$(id -u)" -ne 0 ]; then
  run "a folder that cannot be written is named at the start" 2 --db "$work/locked/history.db" \
    assess --answers "$answers/all_clear.json" && expect err "$work/locked"
fi
run "a --db that is a folder" 2 --db "$work" assess --answers "$answers/all_clear.json" && expect err "is a folder"

# --- forgetting ------------------------------------------------------------------------------
run "--forget from a script needs --yes" 2 --db "$db" history --forget &&
  expect err "pass --yes" "3 check-ins and 0 runs in $db"
check "nothing was deleted without --yes" test "$(count_rows "$db")" = 3
run "--yes needs --forget" 2 --db "$db" history --yes
# In a terminal (script(1) gives it one) --forget asks first.
if command -v script >/dev/null; then
  forget_in_terminal() {
    printf '%s\n' "$1" | timeout 30 script -qec "'$kneecheck' --db '$db' history --forget" /dev/null >"$work/out" 2>&1
  }
  current="--forget in a terminal, answered n"
  if forget_in_terminal n; then ok; else fail "exit code $?"; fi
  expect out "Delete all 3 check-ins and 0 runs in $db? [y/N]" "Nothing was deleted."
  check "answering n deletes nothing" test "$(count_rows "$db")" = 3
else
  echo "SKIP: no script command here; --forget in a terminal was not tried"
fi
run "--forget --yes deletes every check-in" 0 --db "$db" history --forget --yes &&
  expect out "Deleted 3 check-ins and 0 runs from $db."
run "after --forget: no check-ins" 0 --db "$db" history && expect out "No check-ins yet."
run "after --forget: JSON is an empty list" 0 --db "$db" history --format json
check "JSON: []" test "$(cat "$work/out")" = "[]"
run "after --forget: CSV is the header" 0 --db "$db" history --format csv
check "CSV: the header alone" test "$(cat "$work/out")" = $'date,pain,top_cause,escalation,red_flags,rules_id,rules_version,plan_week,plan_decision\r'
if command -v script >/dev/null; then
  run "one more check-in" 0 --db "$db" assess --answers "$answers/all_clear.json"
  current="--forget in a terminal, answered y"
  if forget_in_terminal y; then ok; else fail "exit code $?"; fi
  expect out "Delete all 1 check-in and 0 runs in $db? [y/N]" "Deleted 1 check-in and 0 runs from $db."
  check "answering y deletes" test "$(count_rows "$db")" = 0
fi

# --- a check-in that cannot be stored ----------------------------------------------------
if command -v sqlite3 >/dev/null; then
  broken=$work/broken.db
  run "a check-in to start with" 0 --db "$broken" --date 2026-11-04 assess --answers "$answers/all_clear.json"
  sqlite3 "$broken" "CREATE TRIGGER refuse BEFORE INSERT ON check_ins BEGIN SELECT RAISE(FAIL, 'no room left'); END;"
  run "assess: the report stands, the failure is named, exit 2" 2 --db "$broken" --date 2026-11-11 \
    assess --answers "$answers/top_overuse_training_errors_1.json" &&
    expect out "1. Overuse and training errors" && expect err "not stored in the history: $broken: no room left"
  run "assess: --fail-on's 3 stands when storing fails" 3 --db "$broken" --date 2026-11-11 --fail-on self_care \
    assess --answers "$answers/all_clear.json" && expect err "not stored in the history"
  cp "$typed" "$work/stdin"
  run "interview: the report stands and the answers are kept" 2 --db "$broken" --date 2026-11-11 \
    --save-answers "$work/kept.json" &&
    expect out "Overuse and training errors" &&
    expect err "not stored in the history: $broken" "Your answers are saved in $XDG_STATE_HOME/kneecheck/draft.json" \
      "kneecheck --resume" "Your answers are also in $work/kept.json"
  check "the draft is there" test -s "$XDG_STATE_HOME/kneecheck/draft.json"
  sqlite3 "$broken" "DROP TRIGGER refuse"
  run "--resume stores the kept answers" 0 --db "$broken" --date 2026-11-11 --resume &&
    expect err "answers restored" && expect out "Overuse and training errors"
  check "the resumed check-in is stored" test "$(count_rows "$broken")" = 2
  check "the draft is gone" test ! -e "$XDG_STATE_HOME/kneecheck/draft.json"
  sqlite3 "$broken" "PRAGMA user_version = 99"
  run "a database from a newer kneecheck is refused" 2 --db "$broken" history &&
    expect err "$broken" "newer kneecheck" "version 99"
else
  echo "SKIP: no sqlite3 command here; the checks of a database that refuses writes did not run"
fi

harness_finish "history end-to-end"
