#!/usr/bin/env bash
# End-to-end tests of the real kneecheck binary: pipes, files, exit codes and
# the messages a person sees.
#   tests/e2e/run.sh PATH/TO/kneecheck PROJECT_DIR
set -uo pipefail

kneecheck=$1
project=$2
fixtures=$project/tests/fixtures
answers=${KNEECHECK_TEST_ANSWERS:?run through ctest}
. "$project/tests/bin/harness.sh"
harness_start
# Unfinished interviews are saved as drafts, and a config file may choose
# miles: keep both out of the real home.
export XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config
unset KNEECHECK_UNITS

# --- help, version, usage -------------------------------------------------
run "help" 0 --help && expect out "Exit codes:" "130  interrupted" "assess"
run "version" 0 --version && expect out "kneecheck " "rules kneecheck-default"
run "unknown option" 2 --frobnicate && expect err "kneecheck: unknown option '--frobnicate'" "kneecheck help"
run "bad --format" 2 assess --answers x --format yaml && expect err "yaml"
run "bad --date" 2 --date 2026-02-30 assess --answers "$answers/all_clear.json" && expect err "--date" "YYYY-MM-DD"

# --- typed answers through a pipe ----------------------------------------
for typed in "$fixtures"/typed/*.txt; do
  name=$(basename "$typed" .txt)
  stdin_file "$typed"
  run "piped interview $name" 0 --date 2026-11-25 --format json --save-answers "$work/saved-$name.json" || continue
  expect out "\"kneecheck_assessment\": 1"
  expect err "Question 1 · Safety (part 1 of 5)"
  # The same answers as a JSON file give the same assessment: the case's
  # answers, or for an urgent answer, which ends the questions, those saved.
  cp "$work/out" "$work/piped.json"
  replayed=$answers/$name.json
  case $name in red_flag_*) replayed=$work/saved-$name.json ;; esac
  run "answers file $name" 0 --date 2026-11-25 --format json assess --answers "$replayed" || continue
  if cmp -s "$work/out" "$work/piped.json"; then ok; else fail "typed and JSON answers disagree"; fi
done

# --- an urgent answer ends the questions -------------------------------------
stdin_file "$fixtures/typed/red_flag_knee_locked.txt"
run "an urgent answer in a pipe stops the interview" 0 --date 2026-11-25 &&
  expect err "SEEK CARE TODAY: Knee locked, will not straighten" "Stopped at line 5" &&
  expect out "GET THE KNEE SEEN TODAY"
if grep -qE "What helps|/100|Likely causes" "$work/out"; then fail "an urgent report shows causes or advice"; else ok; fi
if grep -q "Question 6 " "$work/err"; then fail "a question was asked after the urgent answer"; else ok; fi
stdin_file "$fixtures/typed/red_flag_knee_locked.txt"
run "--fail-on urgent after an urgent stop" 3 --date 2026-11-25 --fail-on urgent --no-save
run "the answers up to an urgent stop are a valid answers file" 0 --date 2026-11-25 --format json \
  assess --answers "$work/saved-red_flag_knee_locked.json" &&
  expect out '"level": "urgent"' '"advice_withheld": "all"'

# --- answers files from another version of the rules ---------------------------
grep -v '"leg_use"' "$answers/all_clear.json" >"$work/no-leg-use.json"
run "an answer a red flag reads is required" 2 assess --answers "$work/no-leg-use.json" &&
  expect err "/leg_use" "missing: this question needs an answer" "changed in rules 3.0.0"
sed -E 's/"leg_use" *: *"normal"/"can_bear_weight": true/' "$answers/all_clear.json" >"$work/v2.json"
run "a 2.x answers file says what changed" 2 assess --answers "$work/v2.json" &&
  expect err "unknown question id \"can_bear_weight\"" "replaced by leg_use"

stdin "1
"
run "input that ends early" 2 && expect err "input ended before question 2" && expect_empty out

stdin "banana
"
run "invalid piped answer" 2 && expect err "line 1: question 1 (" "\"banana\"" && expect_empty out

# --- nothing lost: drafts, --resume, --save-answers --------------------------
# The interview that ended early left a draft; the invalid piped answer after
# it did not replace it, and said where its own went.
draft=$work/state/kneecheck/draft.json
if [ -s "$draft" ]; then ok; else fail "no draft after input ended"; fi
cp "$draft" "$work/first-draft.json"
stdin "1
1
"
run "a pipe does not replace a draft it did not start from" 2 &&
  expect err "beside the unfinished interview already in $draft"
if cmp -s "$draft" "$work/first-draft.json"; then ok; else fail "a piped run replaced the waiting draft"; fi
mode_of() { stat -c %a "$1"; }
if [ "$(mode_of "$draft")" = 600 ] && [ "$(mode_of "$work/state/kneecheck")" = 700 ]; then ok; else
  fail "drafts are $(mode_of "$draft") in a $(mode_of "$work/state/kneecheck") folder, not 600 in 700"; fi
rm -f "$work"/state/kneecheck/draft*.json

typed=$fixtures/typed/top_overuse_training_errors_1.txt
head -n 7 "$typed" >"$work/stdin"
run "input ending mid-interview saves a draft" 2 --date 2026-11-25 --format json &&
  expect err "input ended before question 8" "saved in $work/state/kneecheck/draft.json" "kneecheck --resume"
if [ -s "$work/state/kneecheck/draft.json" ]; then ok; else fail "no draft written"; fi
tail -n +8 "$typed" >"$work/stdin"
run "--resume carries on from the draft" 0 --resume --date 2026-11-25 --format json --save-answers "$work/saved.json" &&
  expect err "Resuming the interview saved in" "7 answers restored"
cp "$work/out" "$work/resumed.json"
if [ -e "$work/state/kneecheck/draft.json" ]; then fail "the draft was not removed after finishing"; else ok; fi
stdin_file "$typed"
run "the uninterrupted interview" 0 --date 2026-11-25 --format json
if cmp -s "$work/out" "$work/resumed.json"; then ok; else fail "a resumed interview gives a different report"; fi
run "saved answers replay to the same report" 0 --date 2026-11-25 --format json assess --answers "$work/saved.json"
if cmp -s "$work/out" "$work/resumed.json"; then ok; else fail "--save-answers replays to a different report"; fi
run "--resume without a draft" 2 --resume && expect err "there is no saved interview to resume"

# --- answers files ---------------------------------------------------------
run "text report from an answers file" 0 --date 2026-11-25 assess --answers "$answers/top_overuse_training_errors_1.json" &&
  expect out "1. Overuse and training errors" "Because you said:" "What helps:" "CHECK AGAIN ON 9 DECEMBER 2026" "not a diagnosis"
stdin_file "$answers/top_inadequate_footwear_1.json"
run "answers from stdin" 0 --format json assess --answers - && expect out '"id": "inadequate_footwear"'
run "all clear says so honestly" 0 assess --answers "$answers/all_clear.json" &&
  expect out "None of your answers points to one of the causes"
run "red flag comes first" 0 assess --answers "$answers/red_flag_knee_locked.json" &&
  expect out "GET THE KNEE SEEN TODAY"
run "--fail-on urgent with a red flag" 3 --fail-on soon assess --answers "$answers/red_flag_knee_locked.json"
run "--fail-on urgent without one" 0 --fail-on urgent assess --answers "$answers/all_clear.json"
run "--output writes the file" 0 --format json --output "$work/report.json" assess --answers "$answers/all_clear.json" &&
  expect_empty out && expect report.json '"level": "self_care"'

printf '{"pain_runningx": 3, "pain_running": 11, "pain_location": "front"}' >"$work/bad.json"
run "bad answers named one by one" 2 assess --answers "$work/bad.json" &&
  expect err 'at /pain_runningx: unknown question id' 'at /pain_running: 11 is not a valid answer' 'at /pain_location:' 'nothing was scored' &&
  expect_empty out
printf '{"pain_running": 3,}' >"$work/syntax.json"
run "answers file with a syntax error" 2 assess --answers "$work/syntax.json" && expect err "syntax.json:1:" "invalid JSON"
run "answers file missing" 2 assess --answers "$work/nope.json" && expect err "nope.json" "no such file"
run "answers path is a directory" 2 assess --answers "$work" && expect err "is a directory"
: >"$work/empty.json"
run "empty answers file" 2 assess --answers "$work/empty.json" && expect err "empty.json:1:1" "invalid JSON"

# --- rule files -------------------------------------------------------------
printf '{\n  "schema_version": 1,\n  "id": "x"\n  "version": "1"\n}\n' >"$work/broken_rules.json"
run "malformed rules" 2 --rules "$work/broken_rules.json" assess --answers "$answers/all_clear.json" &&
  expect err "broken_rules.json:4:11:" "invalid JSON"
sed 's/"var": "knee_symptoms"/"var": "knee_symptom"/' "$project/data/rules.json" >"$work/meaning_rules.json"
run "rules with a condition on an unknown question" 2 --rules "$work/meaning_rules.json" assess --answers "$answers/all_clear.json" &&
  expect err "meaning_rules.json: at /" "reads \"knee_symptom\"" "did you mean \"knee_symptoms\""
run "rules file missing" 2 --rules "$work/nope.json" questions && expect err "nope.json"
run "replacement rules are used" 0 --rules "$fixtures/minimal_rules.json" questions && expect out "km_before"

# --- questions ----------------------------------------------------------------
run "questions lists ids, types and follow-ups" 0 questions && expect out "pain_running (scale)" "asked if:"
run "questions as JSON" 0 questions --format json && expect out '"id": "pain_location"' '"type": "multi"'
run "answers template" 0 questions --template && expect out '"age": null' '"swelling_fast": null'
cp "$work/out" "$work/template.json"
run "an unfilled template is rejected question by question" 2 assess --answers "$work/template.json" &&
  expect err "at /age: missing" "at /pain_onset: missing"

# --- validate -----------------------------------------------------------------
run "validate the embedded rules" 0 validate --strict && expect out "0 errors, 0 warnings"
run "validate the default rule file" 0 validate "$project/data/rules.json" --strict
run "validate a broken file" 1 validate "$work/meaning_rules.json" "$work/broken_rules.json" &&
  expect out "meaning_rules.json:" ": error: condition reads \"knee_symptom\"" "broken_rules.json:4:11: error: invalid JSON"
run "validate as GitHub annotations" 1 validate --format github "$work/meaning_rules.json" &&
  expect out "::error file=$work/meaning_rules.json,line="
run "validate as JSON" 1 validate --format json "$work/broken_rules.json" && expect out '"severity": "error"' '"line": 4'
sed 's/^  "questions": \[$/  "questions": [{"id": "shoe_colour", "section": "Safety", "label": "Shoe colour", "text": "Shoe colour?", "type": "yes_no", "optional": true},/' \
  "$project/data/rules.json" >"$work/unread_rules.json"
run "validate: a warning alone passes" 0 validate "$work/unread_rules.json" &&
  expect out "warning: question \"shoe_colour\" is asked, but no condition reads its answer" "0 errors, 1 warning"
run "validate: a warning fails with --strict" 1 validate --strict "$work/unread_rules.json"
run "validate: unknown format" 2 validate --format xml

# --- kneecheck logic ----------------------------------------------------------
run "logic evaluates an expression" 0 logic '{"+": [1, {"var": "a.b"}]}' '{"a": {"b": 2}}' && expect out "3"
printf '{"in": ["stairs", {"var": "w"}]}' >"$work/rule.json"
run "logic reads @files" 0 logic "@$work/rule.json" '{"w": ["stairs"]}' && expect out "true"
run "logic sees derived values of an answers file" 0 logic '{"var": "weekly_km_increase_pct"}' --answers "$answers/top_overuse_training_errors_1.json" &&
  expect out "50"
run "logic names an unknown operation with its pointer" 2 logic '{"if": [true, {"frob": 1}]}' && expect err "at /if/1" "unknown operation \"frob\""
run "logic reports bad JSON with its column" 2 logic '{"var": ' && expect err "RULE:1:" "invalid JSON"

# --- batch ------------------------------------------------------------------
{ tr -d '\n' <"$answers/all_clear.json"; echo; echo '{"pain_running": 99}'; echo; tr -d '\n' <"$answers/red_flag_knee_locked.json"; echo; } >"$work/batch.jsonl"
run "batch goes on past a bad line" 2 --format json assess --batch "$work/batch.jsonl" &&
  expect out '"level":"self_care"' '"line":2,"error":"invalid answers"' '"level":"urgent"' && expect err "1 of 3 lines"
if [ "$(wc -l <"$work/out")" -eq 3 ]; then ok; else fail "batch wrote $(wc -l <"$work/out") lines, expected 3"; fi
tr -d '\n' <"$answers/all_clear.json" >"$work/stdin"
run "batch from stdin" 0 assess --batch - && expect out '"kneecheck_assessment":1'
run "assess needs --answers or --batch" 2 assess && expect err "--answers" "--batch"

# --- output that cannot be written ----------------------------------------
"$kneecheck" questions >&- 2>"$work/err"
code=$?
current="stdout closed"
if [ "$code" -eq 2 ] && grep -q "cannot write" "$work/err"; then ok; else fail "exit $code"; fi
if [ -w /dev/full ]; then
  "$kneecheck" questions >/dev/full 2>"$work/err"
  code=$?
  current="stdout on a full disk"
  if [ "$code" -eq 2 ] && grep -q "cannot write" "$work/err"; then ok; else fail "exit $code"; fi
fi
run "--output into a missing folder" 2 --output "$work/missing/report.txt" questions && expect err "cannot write" &&
  { [ -z "$(ls "$work" | grep tmp-)" ] && ok || fail "left a temporary file"; }

# --- help --------------------------------------------------------------------
run "kneecheck help" 0 help && expect out "Commands:" "assess" "history" "Interview options" "Exit codes:"
cp "$work/out" "$work/help.txt"
run "--help is the same as help" 0 --help
if cmp -s "$work/out" "$work/help.txt"; then ok; else fail "--help and help differ"; fi
run "help assess lists every option it takes" 0 help assess &&
  expect out "--answers FILE" "--batch FILE" "--jobs N" "--format FORMAT" "-o, --output FILE" "--fail-on LEVEL" \
    "--explain" "--date YYYY-MM-DD" "--no-save" "Examples:" "Exit codes:"
cp "$work/out" "$work/help-assess.txt"
run "assess --help is help assess" 0 assess --help
if cmp -s "$work/out" "$work/help-assess.txt"; then ok; else fail "assess --help and help assess differ"; fi
expect_not out "TEXT" "UINT" "[1 - 64]" "Subcommands"
run "help names the formats a command writes" 0 help history && expect out "text, json or csv (default: text)"

# --- --rules means the same for every command that reads rules ---------------------
run "validate --rules checks that file" 1 validate --rules "$work/broken_rules.json" &&
  expect out "broken_rules.json:4:11: error: invalid JSON" "1 error"
run "test --rules runs the cases against that file, and says so" 1 test "$project/data/cases" \
  --rules "$work/broken_rules.json" && expect err "Every case runs against $work/broken_rules.json (--rules)"
run "test --rules with good rules passes" 0 test "$project/data/cases" --rules "$project/data/rules.json"
run "an option a command does not take is refused" 2 validate --db "$work/x.db" &&
  expect err "kneecheck: --db does not apply to 'validate'" "kneecheck help validate"
run "--explain reaches the HTML report" 0 --explain --format html --no-save \
  assess --answers "$answers/top_overuse_training_errors_1.json" && expect out "How every sign was judged"
run "--explain reaches the Markdown report" 0 --explain --format markdown --no-save \
  assess --answers "$answers/top_overuse_training_errors_1.json" && expect out "## How every sign was judged" "- [x] "
run "history --format json is JSON" 0 history --format json --db "$work/none.db" && expect out "[]"

# --- output paths are checked before the first question ---------------------
typed=$fixtures/typed/top_overuse_training_errors_1.txt
stdin_file "$typed"
run "-o into a missing folder, before question 1" 2 --no-save -o "$work/no/such/folder/report.txt" &&
  expect err "cannot write $work/no/such/folder/report.txt: the folder $work/no/such/folder does not exist" &&
  expect_not err "Question 1"
stdin_file "$typed"
run "--save-answers into a missing folder, before question 1" 2 --no-save --save-answers "$work/no/answers.json" &&
  expect err "cannot write $work/no/answers.json" && expect_not err "Question 1"
stdin_file "$typed"
run "--save-answers writes a file only its owner can read" 0 --no-save --save-answers "$work/mine.json" \
  --date 2026-11-25 -o "$work/mine-report.txt"
check "--save-answers is 0600 ($(stat -c %a "$work/mine.json" 2>/dev/null))" test "$(stat -c %a "$work/mine.json")" = 600

# A report folder removed during the interview: the report comes to standard
# output and the answers are kept as a draft.
current="a report that cannot be written after the interview"
mkdir -p "$work/gone"
rm -f "$work"/state/kneecheck/draft*.json
mkfifo "$work/fifo"
"$kneecheck" --date 2026-11-25 --no-save -o "$work/gone/report.txt" <"$work/fifo" >"$work/out" 2>"$work/err" &
pid=$!
exec 3>"$work/fifo"
for _ in $(seq 100); do grep -q "Question 1" "$work/err" && break; sleep 0.05; done
rm -rf "$work/gone"
cat "$typed" >&3
exec 3>&-
wait "$pid"
code=$?
if [ "$code" -eq 2 ]; then ok; else fail "exit $code, expected 2"; fi
expect out "Likely causes, most likely first" &&
  expect err "cannot write $work/gone/report.txt" "Your answers are saved in $work/state/kneecheck/draft.json"
check "the draft is kept" test -s "$work/state/kneecheck/draft.json"
rm -f "$work"/state/kneecheck/draft*.json "$work/fifo"

# --- miles ---------------------------------------------------------------------
# The same runner in miles: distances typed with "km" are kept the same, so the
# report is the same as the one answered in km.
stdin_file "$typed"
run "an interview in km" 0 --date 2026-11-25 --no-save --format json
cp "$work/out" "$work/in-km.json"
awk '(NR >= 14 && NR <= 17) || NR == 22 { print $0 " km"; next } { print }' "$typed" >"$work/typed-km.txt"
stdin_file "$work/typed-km.txt"
KNEECHECK_UNITS=mi run "KNEECHECK_UNITS=mi, distances typed in km" 0 --date 2026-11-25 --no-save --format json &&
  expect err "Type a distance from 0 to 186.4 miles"
if cmp -s "$work/out" "$work/in-km.json"; then ok; else fail "the same distances in another unit gave another report"; fi
awk '(NR >= 14 && NR <= 17) || NR == 22 { printf "%.4f mi\n", $0 / 1.609344; next } { print }' "$typed" >"$work/typed-mi.txt"
stdin_file "$work/typed-mi.txt"
run "distances typed in miles are kept in km" 0 --date 2026-11-25 --no-save --format json --save-answers "$work/mi.json" &&
  expect mi.json '"km_week_1": 30'
mkdir -p "$work/config/kneecheck"
printf '# my settings\nunits = mi\n' >"$work/config/kneecheck/config"
stdin_file "$typed"
run "units = mi in the config file" 0 --date 2026-11-25 --no-save && expect err "miles (\"20 km\" also works)"
stdin_file "$typed"
run "--units km wins over the config file" 0 --date 2026-11-25 --no-save --units km &&
  expect err "Type a distance from 0 to 300 km"
printf 'units = furlongs\n' >"$work/config/kneecheck/config"
run "a bad unit in the config file is named with its line" 2 --no-save &&
  expect err "$work/config/kneecheck/config:1: units = furlongs: give km or mi"
rm -rf "$work/config"
KNEECHECK_UNITS=leagues run "a bad KNEECHECK_UNITS" 2 --no-save && expect err "KNEECHECK_UNITS=leagues: give km or mi"

# --- recorded runs --------------------------------------------------------
# The Strava-style export: weeks of 30 Jun 2024 hold 41.0, 21, 10 and 8 km;
# the longest run of the last week (18 km) is 20 % longer than the 15 km of
# the 30 days before; 3 rest days; Pegasus 40 ran 33 km in the last 28 days.
export_folder=$project/tests/runs/fixtures/strava_export
cat >"$work/partial.json" <<'JSON'
{"age": 34, "pain_onset": "gradual", "pain_duration": "weeks_2_to_6", "leg_use": "normal", "knee_symptoms": ["none"],
 "swelling": "none", "warning_signs": ["none"], "knee_history": ["none"], "which_knee": "left",
 "pain_location": ["front"], "pain_running": 4, "pain_worse_with": ["stairs"], "bone_signs": ["none"],
 "km_week_1": 45, "km_week_2": null, "training_changes": ["none"], "persists_despite_changes": false,
 "shoe_condition": ["none"], "foot_shape": "normal", "running_form": ["none"], "strength_training": "weekly",
 "flexibility": ["none"]}
JSON
run "assess without --runs misses the required answers" 2 --date 2024-06-30 --no-save assess --answers "$work/partial.json" &&
  expect err "at /rest_days: missing" "at /shoes: missing"
run "assess --runs fills only the answers left out" 0 --date 2024-06-30 --no-save --format json \
  assess --answers "$work/partial.json" --runs "$export_folder" &&
  expect out '"km_week_1": 45' '"km_week_2": 21' '"km_week_3": 10' '"km_week_4": 8' '"rest_days": 3' \
    '"shoes": "two_or_more"' '"shoe_km": 33' '"longest_run_change": "up_to_30"'
tr -d ' \n' <"$work/out" | grep -q '"from_runs":\["km_week_2","km_week_3","km_week_4","longest_run_change","rest_days","shoes","shoe_km"\]' &&
  ok || fail "from_runs is not the answers filled, in interview order"
run "the text report says which answers came from runs" 0 --date 2024-06-30 --no-save \
  assess --answers "$work/partial.json" --runs "$export_folder" &&
  expect out "Answers from your recorded runs, not typed in: Distance, 8-14 days ago;"
run "assess --runs stores the runs with the check-in" 0 --date 2024-06-30 --db "$work/runs.db" \
  assess --answers "$work/partial.json" --runs "$export_folder" && expect err "9 new runs stored with it"
run "a later check-in uses the stored runs without --runs" 0 --date 2024-06-30 --db "$work/runs.db" --format json \
  assess --answers "$work/partial.json" && expect out '"km_week_2": 21' '"rest_days": 3'
run "the same runs again add nothing" 0 --date 2024-06-30 --db "$work/runs.db" \
  assess --answers "$work/partial.json" --runs "$export_folder" && expect_not err "stored with it"
run "a runs file that cannot be read stops assess before scoring" 2 --date 2024-06-30 --no-save \
  assess --answers "$work/partial.json" --runs "$work/no-such-runs.csv" &&
  expect err "no-such-runs.csv: error: no such file or folder" "--runs: 1 file could not be read"
expect_empty out

harness_finish end-to-end
