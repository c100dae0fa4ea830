#!/usr/bin/env bash
# The six-week plan and its weekly check-ins through the real kneecheck
# binary: a load jump steps back first, three check-ins (better, flat,
# worse) go on, hold and step back, an urgent answer stops the check-in and
# ends the plan, and no plan is given while one needs a professional.
#   tests/e2e/plan.sh PATH/TO/kneecheck PROJECT_DIR
set -uo pipefail

kneecheck=$1
project=$2
fixture=$project/tests/fixtures/plan/muscular_front.json
. "$project/tests/bin/harness.sh"
harness_start
export HOME=$work/home XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config
unset XDG_DATA_HOME KNEECHECK_DB KNEECHECK_UNITS
db=$work/history.db

# The weekly answers, one per line: leg use, knee symptoms, swelling,
# warning signs, bone signs, pain when running (0-10), the next morning,
# new swelling, running as planned, cut back, held back, how much it bothers.
week() { printf '%s\n' normal none none none none "$1" "$2" "$3" "$4" "$5" "$5" mild >"$work/stdin"; }

# --- the plan from the latest check-in --------------------------------------
run "no check-in yet: nothing to plan" 2 --db "$db" plan && expect err "there is no history to build a plan from"
run "the check-in the plan starts from" 0 --db "$db" --date 2026-10-26 assess --answers "$fixture"
# 30 + 28 km against 20 + 18 in the two weeks before: 53 % more, over 30 %.
run "a load jump: the plan steps back first" 0 --db "$db" plan &&
  expect out "Built from your check-in of 26 October 2026" "week 1 steps back to" "19 km, the level before the rise" \
    "Hip strength 3×" "Knee strength 3×" "Side-lying hip abduction" "Sources"
run "plan --week 2 shows that week" 0 --db "$db" plan --week 2 &&
  expect out "3 Nov - 9 Nov    21.5 km" "week 2: 3 sets of 10, each side" && expect_not out "week 1: "
run "plan as JSON" 0 --db "$db" plan --format json &&
  expect out '"kneecheck_plan": 1' '"start": "step_back"' '"base_km": 19' &&
  check "six weeks in the JSON plan" test "$(grep -c '"week": ' "$work/out")" -eq 6
run "plan --week 9 is refused" 2 --db "$db" plan --week 9 && expect err "--week 9: give a week from 1 to 6"
run "--days only with ics" 2 --db "$db" plan --days mon && expect err "--days applies to --format ics only"
run "an unknown day" 2 --db "$db" plan --format ics --days mon,fun && expect err "'fun' is not a day of the week"

run "step rate: without recorded runs, how to count it" 0 --db "$work/none.db" --date 2026-10-26 \
  plan --answers "$project/tests/fixtures/plan/mechanics.json" &&
  expect out "raise your step rate by 5-10%" "count the steps of one foot for 30 seconds"
run "no step-rate advice where mechanics did not score" 0 --db "$db" plan && expect_not out "step rate"

# --- three weekly check-ins ---------------------------------------------------
week 2 same n fully_no_trouble none
run "better: go on" 0 --db "$db" --date 2026-11-02 checkin &&
  expect out "Go on to week 2 of the plan." "21.5 km" && expect err "Week 1 check-in"
week 4 same n fully_with_trouble a_little
run "flat: hold" 0 --db "$db" --date 2026-11-09 checkin && expect out "Hold: repeat week 2 of the plan"
week 7 clearly_worse y partly moderately
run "worse: step back" 0 --db "$db" --date 2026-11-16 checkin && expect out "Step back to week 1 of the plan"
run "history shows where each check-in moved the plan, and the function score beside pain" 0 --db "$db" history &&
  expect out "plan: on to week 2" "plan: week 2 again" "plan: back to week 1" "(function problems 8/100)"
run "the plan says where it stands" 0 --db "$db" plan && expect out "After 3 weekly check-ins, you are on week 1 of 6"
run "the interview says a plan is running" 2 --db "$db" --date 2026-11-17 </dev/null &&
  expect err "Your plan is on week 1: its weekly check-in is 'kneecheck checkin'"

# --- a warning sign ends the plan ---------------------------------------------
printf '%s\n' cannot_bear_weight none none none none 6 same n not_at_all could_not_run could_not_run severe \
  >"$work/stdin"
run "an urgent answer at a check-in stops the questions there and ends the plan" 0 --db "$db" --date 2026-11-23 \
  checkin &&
  expect err "SEEK CARE TODAY" "Stopped at line 1" "A warning sign came up: the plan stops here." &&
  expect_not err "Does your knee do any of these?" && expect out "GET THE KNEE SEEN TODAY"
run "no plan while a warning sign needs a professional" 0 --db "$db" plan && expect out "Be seen first"
run "no calendar either" 2 --db "$db" plan --format ics && expect err "Be seen first"

harness_finish plan
