# fish completion for kneecheck. Installed as
# share/fish/vendor_completions.d/kneecheck.fish. Keep in step with
# `kneecheck help COMMAND` (tests/packaging/check.sh checks every option is here).

set -l commands assess plan checkin questions runs validate test logic history help

complete -c kneecheck -f

# Commands
set -l none "not __fish_seen_subcommand_from $commands"
complete -c kneecheck -n $none -a assess -d 'Score an answers file, or a batch of them'
complete -c kneecheck -n $none -a questions -d "List the interview's questions, or an answers file to fill in"
complete -c kneecheck -n $none -a plan -d 'A six-week plan of exercises and running'
complete -c kneecheck -n $none -a checkin -d 'The weekly check-in of your plan'
complete -c kneecheck -n $none -a runs -d 'Recorded runs: import them, or the last 12 weeks'
complete -c kneecheck -n $none -a history -d 'Past check-ins; export or forget them'
complete -c kneecheck -n $none -a validate -d 'Check rule files'
complete -c kneecheck -n $none -a test -d 'Run scenario cases'
complete -c kneecheck -n $none -a logic -d 'Evaluate one JsonLogic expression'
complete -c kneecheck -n $none -a help -d "Show help, or a command's options"
complete -c kneecheck -n "__fish_seen_subcommand_from help" -a "assess plan checkin questions runs validate test logic history"

# The interview (no command) and assess: reports
set -l reports "not __fish_seen_subcommand_from plan checkin questions runs validate test logic history help"
complete -c kneecheck -n $none -l resume -d 'Carry on with the interview saved when it was last stopped'
complete -c kneecheck -n $none -l save-answers -r -F -d 'After the interview, also write the answers to FILE'
complete -c kneecheck -n $reports -l units -x -a 'km mi' -d 'The unit distances are asked and shown in'
complete -c kneecheck -n $reports -l runs -r -F -d 'Read recorded runs from a file or folder'
complete -c kneecheck -n $none -l version -d "Print the version and the rule set's id and version"
complete -c kneecheck -n $reports -l format -x -a 'text json markdown html' -d 'Report format'
complete -c kneecheck -n $reports -l date -x -d 'The day of the check-in, YYYY-MM-DD'
complete -c kneecheck -n $reports -l fail-on -x -a 'urgent soon routine self_care' -d 'Exit 3 at this level or more pressing'
complete -c kneecheck -n $reports -l explain -d 'Also show how every sign of every cause was judged'
complete -c kneecheck -n $reports -l sources -d 'List the sources the text report cites by number'
complete -c kneecheck -n $reports -l no-save -d 'Do not store this check-in in the history'

# Shared by several commands
set -l with_rules "not __fish_seen_subcommand_from runs history help"
set -l with_output "not __fish_seen_subcommand_from validate test help import"
set -l with_pager "not __fish_seen_subcommand_from validate test logic help import"
set -l with_db "not __fish_seen_subcommand_from questions validate test logic help"
complete -c kneecheck -n $with_rules -l rules -r -F -d 'Use this rule file instead of the rules built in'
complete -c kneecheck -n $with_output -s o -l output -r -F -d 'Write the result to FILE instead of standard output'
complete -c kneecheck -n $with_pager -l no-pager -d 'Never page long output'
complete -c kneecheck -n $with_db -l db -r -F -d 'The history database'
complete -c kneecheck -l color -x -a 'auto always never' -d 'Colour: auto, always or never'
complete -c kneecheck -l colour -x -a 'auto always never' -d 'Colour: auto, always or never'
complete -c kneecheck -s h -l help -d 'Show help'

# assess
complete -c kneecheck -n "__fish_seen_subcommand_from assess" -l answers -r -F -d 'Answers JSON file, or - for standard input'
complete -c kneecheck -n "__fish_seen_subcommand_from assess" -l batch -r -F -d 'JSON Lines file (or -): one answers object per line'
complete -c kneecheck -n "__fish_seen_subcommand_from assess" -l jobs -x -d 'With --batch: threads to score on, 1 to 64'

# questions
complete -c kneecheck -n "__fish_seen_subcommand_from questions" -l template -d 'Write an answers file to fill in'
complete -c kneecheck -n "__fish_seen_subcommand_from questions" -l format -x -a 'text json' -d 'List format'

# validate
complete -c kneecheck -n "__fish_seen_subcommand_from validate" -F
complete -c kneecheck -n "__fish_seen_subcommand_from validate" -l format -x -a 'text json github' -d 'Diagnostics format'
complete -c kneecheck -n "__fish_seen_subcommand_from validate" -l strict -d 'Fail on warnings too'

# test
complete -c kneecheck -n "__fish_seen_subcommand_from test" -F
complete -c kneecheck -n "__fish_seen_subcommand_from test" -l junit -r -F -d 'Also write the results as JUnit XML to FILE'

# logic
complete -c kneecheck -n "__fish_seen_subcommand_from logic" -l answers -r -F -d "Evaluate against this answers file, with the rules' derived values"

# runs
set -l runs_only "__fish_seen_subcommand_from runs"
complete -c kneecheck -n "$runs_only; and not __fish_seen_subcommand_from import" -a import -d 'Read files or folders of runs into the history'
complete -c kneecheck -n "$runs_only; and __fish_seen_subcommand_from import" -F
complete -c kneecheck -n "$runs_only; and not __fish_seen_subcommand_from import" -l format -x -a 'text csv json' -d 'Output format'
complete -c kneecheck -n $runs_only -l date -x -d 'The last day of the last week, YYYY-MM-DD'
complete -c kneecheck -n $runs_only -l units -x -a 'km mi' -d 'The unit of distances'

# history
complete -c kneecheck -n "__fish_seen_subcommand_from history" -l format -x -a 'text json csv' -d 'Output format'
complete -c kneecheck -n "__fish_seen_subcommand_from history" -l forget -d 'Delete every check-in (asks first in a terminal)'
complete -c kneecheck -n "__fish_seen_subcommand_from history" -l yes -d 'With --forget: delete without asking'

# plan and checkin
set -l plan_only "__fish_seen_subcommand_from plan"
complete -c kneecheck -n $plan_only -l answers -r -F -d 'Build the plan from this answers file'
complete -c kneecheck -n $plan_only -l week -x -a '1 2 3 4 5 6' -d 'Show that week of the plan only'
complete -c kneecheck -n $plan_only -l days -x -d 'With --format ics: the days of the sessions, e.g. mon,wed,fri'
complete -c kneecheck -n $plan_only -l format -x -a 'text markdown html json ics' -d 'Plan format'
complete -c kneecheck -n "__fish_seen_subcommand_from plan checkin" -l date -x -d 'The day of the check-in, YYYY-MM-DD'
complete -c kneecheck -n "__fish_seen_subcommand_from plan checkin" -l units -x -a 'km mi' -d 'The unit of distances'
complete -c kneecheck -n "__fish_seen_subcommand_from checkin" -l no-save -d 'Do not store this check-in in the history'
