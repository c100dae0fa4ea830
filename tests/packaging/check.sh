#!/usr/bin/env bash
# Installing and packaging as a Debian user expects: `cmake --install` into a
# DESTDIR puts every file in its place, the man page renders and names every
# command, option (as --help lists them) and exit code, the completions parse
# and know every option, and `cpack -G DEB` builds a .deb whose binary runs.
#   tests/packaging/check.sh BUILD_DIR PROJECT_DIR
# Installs man-db when `man` is missing and this runs as root.
# Prints "packaging: N passed, N failed"; exits 1 on any failure, 77 (a skip)
# when a part could not be checked here (no man, no cpack or dpkg-deb).
set -uo pipefail

build=$1
project=$2
answers=${KNEECHECK_TEST_ANSWERS:?run through ctest}
kneecheck=$build/kneecheck
. "$project/tests/bin/harness.sh"
harness_start
skipped=()

skip() {
  echo "SKIP: packaging: $1"
  skipped+=("$1")
}

version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")
rule_set=$("$kneecheck" logic '{"cat": [{"var": "id"}, " ", {"var": "version"}]}' "@$project/data/rules.json" | tr -d '"')
expected_version="kneecheck $version (rules $rule_set)"

# --- kneecheck --version -------------------------------------------------------
check "kneecheck --version prints \"$expected_version\" (got \"$("$kneecheck" --version)\")" \
  test "$("$kneecheck" --version)" = "$expected_version"

# --- cmake --install into a DESTDIR ---------------------------------------------
root=$work/root
if DESTDIR=$root cmake --install "$build" --prefix /usr >"$work/install.log" 2>&1; then ok; else
  fail "cmake --install: $(tail -n 5 "$work/install.log")"
fi
man_page=$root/usr/share/man/man1/kneecheck.1.gz
[ -f "$man_page" ] || man_page=$root/usr/share/man/man1/kneecheck.1
check "the binary is installed as usr/bin/kneecheck, executable" test -x "$root/usr/bin/kneecheck"
check "the man page is installed in usr/share/man/man1" test -s "$man_page"
for file in usr/share/bash-completion/completions/kneecheck usr/share/zsh/vendor-completions/_kneecheck \
  usr/share/fish/vendor_completions.d/kneecheck.fish usr/share/doc/kneecheck/copyright; do
  check "$file is installed" test -s "$root/$file"
done
check "the installed binary runs: --version" test "$("$root/usr/bin/kneecheck" --version)" = "$expected_version"

# --- What --help lists ------------------------------------------------------------
commands=(assess plan checkin questions runs history validate test logic help)
"$kneecheck" --help >"$work/help.main"
for command in "${commands[@]}"; do
  [ "$command" = help ] || "$kneecheck" "$command" --help >"$work/help.$command"
done
# Option names from the lines that declare options ("  -o,--output TEXT ..."),
# and the values of their {a,b,c} choices.
options() { grep -E '^ {2}-' "$@" | grep -oE -- '(^|[ ,])--?[a-zA-Z][a-zA-Z-]*' | tr -d ' ,' | sort -u; }
choices() { grep -E '^ {2}-' "$@" | grep -oE '\{[^}]*\}' | tr -d '{}' | tr ',' '\n' | sort -u; }
mapfile -t all_options < <(options "$work"/help.*)
mapfile -t all_choices < <(choices "$work"/help.*)
mapfile -t listed_commands < <(sed -n '/^Commands:/,/^$/p' "$work/help.main" | awk '/^  [a-z]/ {print $1}')
mapfile -t exit_codes < <(sed -n '/^Exit codes:/,$p' "$work/help.main" | awk '$1 ~ /^[0-9]+$/ {print $1}')
check "--help lists options (${#all_options[@]}), commands (${listed_commands[*]}) and exit codes (${#exit_codes[@]})" \
  test "${#all_options[@]}" -ge 10 -a "${listed_commands[*]}" = "${commands[*]}" -a "${#exit_codes[@]}" -ge 5
check "'kneecheck help' and 'kneecheck --help' are the same" cmp -s "$work/help.main" <("$kneecheck" help)
for command in "${commands[@]}"; do
  [ "$command" = help ] && continue
  check "'kneecheck help $command' and '$command --help' are the same" \
    cmp -s "$work/help.$command" <("$kneecheck" help "$command")
done

# --- The man page -----------------------------------------------------------------
if ! command -v man >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "packaging: installing man-db (apt-get install -y man-db)" >&2
  DEBIAN_FRONTEND=noninteractive timeout 200 apt-get install -y -qq man-db >"$work/apt.log" 2>&1 ||
    { timeout 60 apt-get update -qq >>"$work/apt.log" 2>&1 &&
      DEBIAN_FRONTEND=noninteractive timeout 200 apt-get install -y -qq man-db >>"$work/apt.log" 2>&1; }
fi
if command -v man >/dev/null; then
  LC_ALL=C.UTF-8 MANWIDTH=120 man --warnings -l "$man_page" 2>"$work/man.err" | col -b >"$work/man.txt"
  check "man -l renders the page" grep -q '^NAME' "$work/man.txt"
  check "groff has no warnings about the page: $(head -c 300 "$work/man.err")" test ! -s "$work/man.err"
  for section in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS 'EXIT STATUS' ENVIRONMENT FILES EXAMPLES; do
    check "the man page has a $section section" grep -q "^$section" "$work/man.txt"
  done
  for command in "${commands[@]}" "${listed_commands[@]}"; do
    check "the man page's COMMANDS describe $command" \
      grep -qE "^ {7}$command( |$)" <(sed -n '/^COMMANDS/,/^OPTIONS/p' "$work/man.txt")
  done
  check "the man page describes the interview" grep -qi 'the interview' "$work/man.txt"
  for option in "${all_options[@]}"; do
    check "the man page names $option (from --help)" grep -qE -- "(^|[^a-zA-Z-])$option([^a-zA-Z-]|$)" "$work/man.txt"
  done
  for value in "${all_choices[@]}"; do
    check "the man page names the choice $value (from --help)" grep -qw -- "$value" "$work/man.txt"
  done
  for code in "${exit_codes[@]}"; do
    check "the man page's EXIT STATUS has $code" \
      grep -qE "^ {7}$code( |$)" <(sed -n '/^EXIT STATUS/,/^ENVIRONMENT/p' "$work/man.txt")
  done
  check "the man page's ENVIRONMENT has NO_COLOR" grep -q 'NO_COLOR' <(sed -n '/^ENVIRONMENT/,/^FILES/p' "$work/man.txt")
  check "the man page's EXAMPLES run commands" grep -q 'kneecheck assess --answers' "$work/man.txt"
else
  skip "no man (install man-db): the man page was not rendered"
fi

# --- The completions ------------------------------------------------------------
bash_completion=$root/usr/share/bash-completion/completions/kneecheck
zsh_completion=$root/usr/share/zsh/vendor-completions/_kneecheck
fish_completion=$root/usr/share/fish/vendor_completions.d/kneecheck.fish
check "bash -n accepts the bash completion" bash -n "$bash_completion"
for option in "${all_options[@]}"; do
  check "the bash completion offers $option" grep -qE -- "(^|[ \"|])$option([ \")]|$)" "$bash_completion"
  check "the zsh completion offers $option" grep -qF -- "$option" "$zsh_completion"
  if [[ $option == --* ]]; then fish_option="-l ${option#--}"; else fish_option="-s ${option#-}"; fi
  check "the fish completion offers $option" grep -qE -- "$fish_option( |$)" "$fish_completion"
done
# What a user gets on <Tab>, from the installed script.
complete_words() {
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _kneecheck; echo "${COMPREPLY[*]}"' \
    _ "$bash_completion" "$@"
}
check "bash: kneecheck <Tab> offers the commands" test "$(complete_words kneecheck '')" = "${commands[*]}"
check "bash: kneecheck --format <Tab> offers the report formats" \
  test "$(complete_words kneecheck --format '')" = "text json markdown html"
check "bash: kneecheck validate --format <Tab> offers text json github" \
  test "$(complete_words kneecheck validate --format '')" = "text json github"
check "bash: kneecheck history --format <Tab> offers text json csv" \
  test "$(complete_words kneecheck history --format '')" = "text json csv"
check "bash: kneecheck --fail-on s<Tab> offers soon self_care" test "$(complete_words kneecheck --fail-on s)" = "soon self_care"
if command -v zsh >/dev/null; then
  check "zsh -n accepts the zsh completion" zsh -n "$zsh_completion"
else
  echo "packaging: no zsh here; the zsh completion was not parsed"
fi
if command -v fish >/dev/null; then
  check "fish -n accepts the fish completion" fish -n "$fish_completion"
  check "fish: kneecheck <Tab> offers the commands" \
    test "$(fish -c "source '$fish_completion'; complete -C 'kneecheck '" | cut -f1 | sort | tr '\n' ' ')" = \
    "$(printf '%s\n' "${commands[@]}" | sort | tr '\n' ' ')"
else
  echo "packaging: no fish here; the fish completion was not parsed"
fi

# --- cpack -G DEB -------------------------------------------------------------------
if command -v cpack >/dev/null && command -v dpkg-deb >/dev/null; then
  rm -f "$build"/kneecheck_*.deb
  if (cd "$build" && cpack -G DEB) >"$work/cpack.log" 2>&1; then ok; else fail "cpack -G DEB: $(tail -n 8 "$work/cpack.log")"; fi
  deb=$(ls "$build"/kneecheck_*.deb 2>/dev/null | head -n 1)
  check "cpack wrote $build/kneecheck_${version}-1_<arch>.deb" test -n "$deb" -a -s "${deb:-/nonexistent}"
  if [ -n "$deb" ]; then
    dpkg-deb -I "$deb" >"$work/deb.info"
    dpkg-deb -c "$deb" | awk '{print $NF}' >"$work/deb.files"
    check "the package is named kneecheck" grep -q '^ Package: kneecheck$' "$work/deb.info"
    check "the package version is $version-1" grep -q "^ Version: $version-1\$" "$work/deb.info"
    check "the package has a maintainer" grep -qE '^ Maintainer: .+<.+@.+>$' "$work/deb.info"
    check "the package has a summary and a long description" \
      grep -qE '^ Description: .+' "$work/deb.info"
    check "the package depends on libc6" grep -qE '^ Depends: .*libc6' "$work/deb.info"
    # Every shared library the binary needs comes from a package it depends on.
    depends=$(sed -n 's/^ Depends: //p' "$work/deb.info" | tr ',|' '\n\n' | sed 's/(.*//; s/ //g')
    while read -r library path; do
      owner=$(dpkg -S "$path" "/usr$path" "$(readlink -f "$path")" 2>/dev/null | head -n 1 | cut -d: -f1)
      [ -n "$owner" ] || continue
      check "the package depends on $owner (for $library)" grep -qxF -- "$owner" <<<"$depends"
    done < <(ldd "$kneecheck" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $1, $3}')
    # Dependencies that are installed here: the package would install.
    for package in $depends; do
      check "dependency $package is installable (installed here)" \
        grep -q 'install ok installed' <(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)
    done
    for file in ./usr/bin/kneecheck ./usr/share/man/man1/kneecheck.1.gz \
      ./usr/share/bash-completion/completions/kneecheck ./usr/share/zsh/vendor-completions/_kneecheck \
      ./usr/share/fish/vendor_completions.d/kneecheck.fish ./usr/share/doc/kneecheck/copyright; do
      check "the package holds $file" grep -qxF "$file" "$work/deb.files"
    done
    check "the package holds nothing under /usr/local or the build folder" \
      bash -c "! grep -qE '^\\./usr/local|$build' '$work/deb.files'"
    scratch=$work/scratch
    check "dpkg -x extracts the package" dpkg -x "$deb" "$scratch"
    check "the packaged binary runs: --version prints \"$expected_version\"" \
      test "$("$scratch/usr/bin/kneecheck" --version 2>&1)" = "$expected_version"
    check "the packaged binary writes an HTML report" bash -c \
      "'$scratch/usr/bin/kneecheck' assess --answers '$answers/top_overuse_training_errors_1.json' --format html | grep -q '</html>'"
    check "the packaged binary is stripped" bash -c "! objdump -h '$scratch/usr/bin/kneecheck' | grep -q '\\.debug_info'"
    check "the packaged man page is gzip" bash -c "gzip -t '$scratch/usr/share/man/man1/kneecheck.1.gz'"
  fi
else
  skip "no cpack or dpkg-deb: the .deb was not built"
fi

echo "packaging: $passed passed, $failed failed${skipped:+, skipped: ${skipped[*]}}"
if [ "$failed" -ne 0 ]; then exit 1; fi
if [ "${#skipped[@]}" -ne 0 ]; then exit 77; fi
exit 0
