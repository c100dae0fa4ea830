# bash completion for kneecheck                             -*- shell-script -*-
# Installed as share/bash-completion/completions/kneecheck. Keep in step with
# `kneecheck --help` (tests/packaging/check.sh checks every option is here).

_kneecheck() {
  local cur prev command word i
  COMPREPLY=()
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD - 1]}

  local commands="assess questions validate test logic history"
  local global="--rules --format -o --output --color --date --fail-on --explain --resume --save-answers --db --no-save --version -h --help"

  command=
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=${COMP_WORDS[i]}
    case $word in
      assess | questions | validate | test | logic | history)
        command=$word
        break
        ;;
    esac
  done

  # The value of the option before the cursor.
  case $prev in
    --format)
      if [[ $command == validate ]]; then
        COMPREPLY=($(compgen -W "text json github" -- "$cur"))
      elif [[ $command == questions ]]; then
        COMPREPLY=($(compgen -W "text json" -- "$cur"))
      elif [[ $command == history ]]; then
        COMPREPLY=($(compgen -W "text json csv" -- "$cur"))
      else
        COMPREPLY=($(compgen -W "text json markdown html" -- "$cur"))
      fi
      return
      ;;
    --color)
      COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
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
    --rules | -o | --output | --answers | --batch | --junit | --save-answers | --db)
      compopt -o filenames 2>/dev/null
      COMPREPLY=($(compgen -f -- "$cur"))
      return
      ;;
  esac

  local options
  case $command in
    assess) options="--answers --batch --jobs -h --help $global" ;;
    questions) options="--template -h --help $global" ;;
    validate) options="--format --strict -h --help" ;;
    test) options="--junit -h --help" ;;
    logic) options="--answers -h --help $global" ;;
    history) options="--format -o --output --db --forget --yes -h --help" ;;
    *) options=$global ;;
  esac

  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$options" -- "$cur"))
  elif [[ -z $command ]]; then
    COMPREPLY=($(compgen -W "$commands" -- "$cur"))
  elif [[ $command == validate || $command == test ]]; then
    # Rule files; case files and folders.
    compopt -o filenames 2>/dev/null
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}

complete -F _kneecheck kneecheck
