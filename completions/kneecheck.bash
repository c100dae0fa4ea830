# bash completion for kneecheck                             -*- shell-script -*-
# Installed as share/bash-completion/completions/kneecheck. Keep in step with
# `kneecheck help COMMAND` (tests/packaging/check.sh checks every option is here).

_kneecheck() {
  local cur prev command word i
  COMPREPLY=()
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD - 1]}

  local commands="assess plan checkin questions runs history validate test logic help"
  local report="--rules --format -o --output --date --fail-on --explain --sources --db --no-save --units --runs --color --colour --no-pager"

  command=
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=${COMP_WORDS[i]}
    case $word in
      assess | plan | checkin | questions | runs | validate | test | logic | history | help)
        command=$word
        break
        ;;
    esac
  done

  # The value of the option before the cursor.
  case $prev in
    --format)
      case $command in
        validate) COMPREPLY=($(compgen -W "text json github" -- "$cur")) ;;
        questions) COMPREPLY=($(compgen -W "text json" -- "$cur")) ;;
        history) COMPREPLY=($(compgen -W "text json csv" -- "$cur")) ;;
        runs) COMPREPLY=($(compgen -W "text csv json" -- "$cur")) ;;
        plan) COMPREPLY=($(compgen -W "text markdown html json ics" -- "$cur")) ;;
        *) COMPREPLY=($(compgen -W "text json markdown html" -- "$cur")) ;;
      esac
      return
      ;;
    --color | --colour)
      COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
      return
      ;;
    --units)
      COMPREPLY=($(compgen -W "km mi" -- "$cur"))
      return
      ;;
    --fail-on)
      COMPREPLY=($(compgen -W "urgent soon routine self_care" -- "$cur"))
      return
      ;;
    --date)
      COMPREPLY=($(compgen -W "$(date +%F)" -- "$cur"))
      return
      ;;
    --jobs | --week | --days)
      return
      ;;
    --rules | -o | --output | --answers | --batch | --junit | --save-answers | --db | --runs)
      compopt -o filenames 2>/dev/null
      COMPREPLY=($(compgen -f -- "$cur"))
      return
      ;;
  esac

  local options
  case $command in
    assess) options="--answers --batch --jobs $report -h --help" ;;
    questions) options="--template --rules --format -o --output --color --colour --no-pager -h --help" ;;
    validate) options="--strict --rules --format --color --colour -h --help" ;;
    test) options="--junit --rules --color --colour -h --help" ;;
    logic) options="--answers --rules -o --output --color --colour -h --help" ;;
    history) options="--forget --yes --format -o --output --db --color --colour --no-pager -h --help" ;;
    runs)
      options="--format -o --output --date --db --units --color --colour --no-pager -h --help"
      [[ " ${COMP_WORDS[*]:1:COMP_CWORD-1} " == *" import "* ]] && options="--date --db --units --color --colour -h --help"
      ;;
    plan) options="--answers --week --days --rules --format -o --output --date --db --units --color --colour --no-pager -h --help" ;;
    checkin) options="--rules --date -o --output --db --no-save --units --color --colour --no-pager -h --help" ;;
    help) options="" ;;
    *) options="--resume --save-answers $report --version -h --help" ;;
  esac

  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$options" -- "$cur"))
  elif [[ -z $command ]]; then
    COMPREPLY=($(compgen -W "$commands" -- "$cur"))
  elif [[ $command == help ]]; then
    COMPREPLY=($(compgen -W "${commands% help}" -- "$cur"))
  elif [[ $command == runs ]]; then
    # "import", then the files and folders to import.
    if [[ " ${COMP_WORDS[*]:1:COMP_CWORD-1} " == *" import "* ]]; then
      compopt -o filenames 2>/dev/null
      COMPREPLY=($(compgen -f -- "$cur"))
    else
      COMPREPLY=($(compgen -W "import" -- "$cur"))
    fi
  elif [[ $command == validate || $command == test ]]; then
    # Rule files; case files and folders.
    compopt -o filenames 2>/dev/null
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}

complete -F _kneecheck kneecheck
