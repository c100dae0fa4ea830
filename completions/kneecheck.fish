# fish completion for kneecheck. Installed as
# share/fish/vendor_completions.d/kneecheck.fish. Keep in step with
# `kneecheck --help` (tests/packaging/check.sh checks every option is here).

set -l commands assess questions validate test logic history

complete -c kneecheck -f

# Commands
complete -c kneecheck -n "not __fish_seen_subcommand_from $commands" -a assess -d 'Score an answers JSON object'
complete -c kneecheck -n "not __fish_seen_subcommand_from $commands" -a questions -d "List the interview's questions"
complete -c kneecheck -n "not __fish_seen_subcommand_from $commands" -a validate -d 'Check rule files'
complete -c kneecheck -n "not __fish_seen_subcommand_from $commands" -a test -d 'Run scenario cases'
complete -c kneecheck -n "not __fish_seen_subcommand_from $commands" -a logic -d 'Evaluate one JsonLogic expression'
complete -c kneecheck -n "not __fish_seen_subcommand_from $commands" -a history -d 'List past check-ins, or forget them'

# Options of the interview, assess, questions and logic
set -l common "not __fish_seen_subcommand_from validate test history"
complete -c kneecheck -n $common -l rules -r -F -d 'Rule file to use instead of the embedded default rules'
complete -c kneecheck -n "$common; and not __fish_seen_subcommand_from questions" -l format -x -a 'text json markdown html' -d 'Report format'
complete -c kneecheck -n "__fish_seen_subcommand_from questions" -l format -x -a 'text json' -d 'List format'
complete -c kneecheck -n $common -s o -l output -r -F -d 'Write the result to FILE instead of standard output'
complete -c kneecheck -n $common -l color -x -a 'auto always never' -d 'Colour in the text report'
complete -c kneecheck -n $common -l date -x -d 'Date of the check-in, YYYY-MM-DD'
complete -c kneecheck -n $common -l fail-on -x -a 'urgent soon routine self_care' -d 'Exit 3 at this escalation level or more pressing'
complete -c kneecheck -n $common -l explain -d 'Show how every indicator of every cause was judged'
complete -c kneecheck -n $common -l resume -d 'Carry on with the interview saved when it was last stopped'
complete -c kneecheck -n $common -l save-answers -r -F -d 'After the interview, also write the answers to FILE'
complete -c kneecheck -n $common -l db -r -F -d 'History database to read and store check-ins in'
complete -c kneecheck -n $common -l no-save -d 'Do not store this check-in in the history'
complete -c kneecheck -n "not __fish_seen_subcommand_from $commands" -l version -d "Print the version and the rule set's id and version"
complete -c kneecheck -s h -l help -d 'Print help and exit'

# assess
complete -c kneecheck -n "__fish_seen_subcommand_from assess" -l answers -r -F -d 'Answers JSON file, or - for standard input'
complete -c kneecheck -n "__fish_seen_subcommand_from assess" -l batch -r -F -d 'JSONL file (or -): one answers object per line'
complete -c kneecheck -n "__fish_seen_subcommand_from assess" -l jobs -x -d 'Threads to score a batch on (default: one per core)'

# questions
complete -c kneecheck -n "__fish_seen_subcommand_from questions" -l template -d 'Write an answers JSON template for assess --answers'

# validate
complete -c kneecheck -n "__fish_seen_subcommand_from validate" -F
complete -c kneecheck -n "__fish_seen_subcommand_from validate" -l format -x -a 'text json github' -d 'Diagnostics format'
complete -c kneecheck -n "__fish_seen_subcommand_from validate" -l strict -d 'Fail on warnings too'

# test
complete -c kneecheck -n "__fish_seen_subcommand_from test" -F
complete -c kneecheck -n "__fish_seen_subcommand_from test" -l junit -r -F -d 'Also write the results as JUnit XML to FILE'

# logic
complete -c kneecheck -n "__fish_seen_subcommand_from logic" -l answers -r -F -d "Evaluate against this answers file, with the rules' derived values"

# history
complete -c kneecheck -n "__fish_seen_subcommand_from history" -l format -x -a 'text json csv' -d 'Output format'
complete -c kneecheck -n "__fish_seen_subcommand_from history" -s o -l output -r -F -d 'Write the result to FILE instead of standard output'
complete -c kneecheck -n "__fish_seen_subcommand_from history" -l db -r -F -d 'History database'
complete -c kneecheck -n "__fish_seen_subcommand_from history" -l forget -d 'Delete every check-in (asks first in a terminal)'
complete -c kneecheck -n "__fish_seen_subcommand_from history" -l yes -d 'With --forget: delete without asking'
