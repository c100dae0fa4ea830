#!/usr/bin/env bash
# The bad-input matrix: every way a person, a script or a disk can hand
# kneecheck something broken, as one table. Each row runs the real binary and
# checks the exit code, the words of the message (what went wrong and where),
# that nothing crashed or hung, and that no report file or temporary file was
# left half written.
#   tests/e2e/matrix.sh PATH/TO/kneecheck PROJECT_DIR
#
# The big and odd inputs (100 MB files, 100,000-deep nesting, invalid UTF-8,
# NUL bytes, unreadable files) are made at run time in a temporary folder.
set -uo pipefail

kneecheck=$1
project=$2
. "$project/tests/bin/harness.sh"
harness_start
W=$work
trap 'chmod -R u+rwX "$W" 2>/dev/null; rm -rf "$W"' EXIT
chmod 755 "$W"  # the rows run as nobody must reach their files
skipped=0

answers=${KNEECHECK_TEST_ANSWERS:?run through ctest}/all_clear.json
rules=$project/data/rules.json

# --- inputs ------------------------------------------------------------------

one_line() { tr -d '\n' <"$1"; }           # a JSON file as one line
answers_with() { one_line "$answers" | sed "$1"; }  # all_clear.json, edited
rules_with() { sed "$1" "$rules"; }

# Answers files.
: >"$W/empty.json"
printf 'hello, this is not JSON\n' >"$W/notjson.json"
printf '[{"age": 34}]\n' >"$W/array.json"
head -n 10 "$answers" >"$W/truncated.json"  # ends after a whole line
{ printf '\xef\xbb\xbf'; cat "$answers"; } >"$W/bom.json"
answers_with 's/"gradual"/"grad\xffual"/' >"$W/utf8_value.json"
answers_with 's/"leg_use"/"leg\xc3_use"/' >"$W/utf8_key.json"
answers_with 's/"age" *: *34/"age": "\xed\xa0\x80"/' >"$W/surrogate.json"
{ one_line "$answers"; printf '\0{"age": 99}'; } >"$W/nul.json"
head -c 100000000 /dev/zero | tr '\0' ' ' >"$W/big.json"  # 100 MB of blanks
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "["; for (i = 0; i < 100000; i++) printf "]" }' >"$W/deep.json"
awk 'BEGIN { printf "{\"age\": "; for (i = 0; i < 100000; i++) printf "{\"a\": "; printf "1";
             for (i = 0; i < 100000; i++) printf "}"; printf "}" }' >"$W/deep_object.json"
answers_with 's/"age" *: *34/"age": 1e999/' >"$W/overflow.json"
answers_with 's/"pain_running" *: *2/"pain_running": -1e999/' >"$W/overflow_negative.json"
answers_with 's/"age" *: *34/"age": 123456789012345678901234567890/' >"$W/huge_integer.json"
answers_with 's/"age" *: *34/"age": NaN/' >"$W/nan.json"
answers_with 's/"pain_running" *: *2/"pain_running": Infinity/' >"$W/infinity.json"
answers_with 's/"age" *: *34/"age": "NaN"/' >"$W/nan_string.json"
answers_with 's/"leg_use"/"legg_use"/' >"$W/unknown_id.json"
answers_with 's/"gradual"/"sudden"/' >"$W/not_offered.json"
answers_with 's/"warning_signs" *: *\[ *"none" *\]/"warning_signs": ["none", "sore_toe"]/' >"$W/not_offered_multi.json"
answers_with 's/"swelling" *: *"none" *,/"swelling": "none", "swelling_fast": true,/' >"$W/follow_up_not_asked.json"
answers_with 's/"age" *: *34/"age": 500/' >"$W/out_of_range.json"
answers_with 's/"leg_use" *: *"normal"/"leg_use": true/' >"$W/wrong_type.json"
answers_with "s/\"gradual\"/\"$(head -c 5000 /dev/zero | tr '\0' x)\"/" >"$W/long_string.json"
answers_with 's/"age" *: *34 *,//' >"$W/missing.json"
cp "$answers" "$W/noread.json"
chmod 000 "$W/noread.json"
mkdir "$W/folder"

# Rule files.
cp "$W/empty.json" "$W/r_empty.json"
cp "$W/notjson.json" "$W/r_notjson.json"
printf '[]\n' >"$W/r_array.json"
head -n 600 "$rules" >"$W/r_truncated.json"
{ printf '\xef\xbb\xbf'; cat "$rules"; } >"$W/r_bom.json"
rules_with '0,/"title": "/s//"title": "\xc0\xaf/' >"$W/r_utf8.json"
{ cat "$rules"; printf '\0'; } >"$W/r_nul.json"
rules_with 's/"full_weight": 6/"full_weight": 1e999/' >"$W/r_overflow.json"
extra_questions=$(awk 'BEGIN { for (i = 0; i < 200; i++) printf "{\"id\": \"extra_%d\", \"text\": \"Extra?\", \"type\": \"yes_no\", \"optional\": true},", i }')
rules_with "s/^  \"questions\": \[\$/  \"questions\": [$extra_questions/" >"$W/r_many_questions.json"
extra_options=$(awk 'BEGIN { for (i = 0; i < 60; i++) printf "{\"value\": \"extra_%d\", \"label\": \"Extra\"},", i }')
rules_with "0,/\"options\": \[\$/s//\"options\": [$extra_options/" >"$W/r_many_options.json"
extra_items=$(awk 'BEGIN { for (i = 0; i < 120; i++) printf "{},", i }')
rules_with "0,/\"indicators\": \[\$/s//\"indicators\": [$extra_items/" >"$W/r_many_indicators.json"
rules_with "s/^  \"red_flags\": \[\$/  \"red_flags\": [$extra_items/" >"$W/r_many_red_flags.json"
cp "$W/noread.json" "$W/r_noread.json"
chmod 000 "$W/r_noread.json"

# Scenario cases.
mkdir "$W/cases_utf8" "$W/cases_overflow" "$W/cases_none"
printf '{"answers": {"pain_onset": "\xff"}, "expect": {}}' >"$W/cases_utf8/bad.json"
printf '{"answers": {"age": 1e999}, "expect": {}}' >"$W/cases_overflow/bad.json"

# Batches: a good line, a bad one, a good one.
batch() { { one_line "$answers"; echo; cat; echo; one_line "$answers"; echo; } >"$W/$1"; }
printf '{"age": "\xff"}' | batch b_utf8.jsonl
printf '{"age": 1e999}' | batch b_overflow.jsonl
printf '{"age": 3}\0' | batch b_nul.jsonl
batch b_deep.jsonl <"$W/deep.json"
batch b_big.jsonl <"$W/big.json"  # one line of 100 MB
printf '[1, 2' | batch b_truncated.jsonl
answers_with 's/"leg_use"/"legg_use"/' | batch b_unknown.jsonl

# Typed lines on standard input.
: >"$W/t_empty.txt"
printf '\xff\n' >"$W/t_utf8.txt"
printf '3\000x\n' >"$W/t_nul.txt"  # 3, NUL, x
printf '1e999\n' >"$W/t_overflow.txt"
printf 'nan\n' >"$W/t_nan.txt"
printf 'inf\n' >"$W/t_inf.txt"
printf '1e308\n' >"$W/t_huge.txt"
printf '34\n9\n' >"$W/t_not_offered.txt"
printf '34\n1\n' >"$W/t_truncated.txt"

# Output targets.
mkdir "$W/links"
ln -s /dev/full "$W/links/full"

# --- the matrix ----------------------------------------------------------------
# name | exit | stdin | stdout | user | arguments | words in stderr | words in stdout
#   stdin: "-" for none, or a file; stdout: pipe, closed (>&-) or full (/dev/full);
#   user: me, or nobody (for unreadable files: root reads them anyway);
#   words: separated by ";"; "EMPTY" for nothing at all.
#   $W is the folder of the inputs; --output goes to $W/out, emptied per row.
matrix=$(
  cat <<'TABLE'
answers: empty file | 2 | - | pipe | me | assess --answers $W/empty.json | empty.json:1:1: invalid JSON;unexpected end of input | EMPTY
answers: not JSON | 2 | - | pipe | me | assess --answers $W/notjson.json | notjson.json:1:1: invalid JSON | EMPTY
answers: an array, not an object | 2 | - | pipe | me | assess --answers $W/array.json | array.json: expected a JSON object of question id -> answer, found array | EMPTY
answers: truncated file | 2 | - | pipe | me | assess --answers $W/truncated.json | truncated.json:11:1: invalid JSON: unexpected end of input | EMPTY
answers: byte order mark | 2 | - | pipe | me | assess --answers $W/bom.json | bom.json:1:1:;byte order mark | EMPTY
answers: invalid UTF-8 in a value | 2 | - | pipe | me | assess --answers $W/utf8_value.json | utf8_value.json:1:;not UTF-8 (byte 0xFF) | EMPTY
answers: invalid UTF-8 in a key | 2 | - | pipe | me | assess --answers $W/utf8_key.json | utf8_key.json:1:;not UTF-8 (byte 0xC3) | EMPTY
answers: UTF-8 surrogate | 2 | - | pipe | me | assess --answers $W/surrogate.json | surrogate.json:1:;not UTF-8 (byte 0xED) | EMPTY
answers: NUL byte after the object | 2 | - | pipe | me | assess --answers $W/nul.json | nul.json:1:;NUL byte | EMPTY
answers: 100 MB file | 2 | - | pipe | me | assess --answers $W/big.json | big.json is larger than the limit of 1048576 bytes | EMPTY
answers: 100 MB on standard input | 2 | $W/big.json | pipe | me | assess --answers - | standard input is larger than the limit of 1048576 bytes | EMPTY
answers: arrays nested 100,000 deep | 2 | - | pipe | me | assess --answers $W/deep.json | deep.json:1:129: invalid JSON: nested deeper than 128 levels | EMPTY
answers: objects nested 100,000 deep | 2 | - | pipe | me | assess --answers $W/deep_object.json | deep_object.json:1:;nested deeper than 128 levels | EMPTY
answers: number that overflows | 2 | - | pipe | me | assess --answers $W/overflow.json | overflow.json:1:;invalid JSON;1e999 | EMPTY
answers: negative number that overflows | 2 | - | pipe | me | assess --answers $W/overflow_negative.json | overflow_negative.json:1:;-1e999 | EMPTY
answers: 30-digit integer | 2 | - | pipe | me | assess --answers $W/huge_integer.json | at /age:;not a valid answer;above the highest age this asks (120 years) | EMPTY
answers: NaN for a number | 2 | - | pipe | me | assess --answers $W/nan.json | nan.json:1:;invalid JSON | EMPTY
answers: Infinity for a number | 2 | - | pipe | me | assess --answers $W/infinity.json | infinity.json:1:;invalid JSON | EMPTY
answers: "NaN" as a string for a number | 2 | - | pipe | me | assess --answers $W/nan_string.json | at /age: "NaN" is not a valid answer;expected a number | EMPTY
answers: unknown question id | 2 | - | pipe | me | assess --answers $W/unknown_id.json | at /legg_use: unknown question id "legg_use";did you mean "leg_use";at /leg_use: missing;nothing was scored | EMPTY
answers: choice not offered | 2 | - | pipe | me | assess --answers $W/not_offered.json | at /pain_onset: "sudden" is not a valid answer;expected one of "gradual" | EMPTY
answers: multi option not offered | 2 | - | pipe | me | assess --answers $W/not_offered_multi.json | at /warning_signs:;"sore_toe" is not an option | EMPTY
answers: follow-up whose condition is false | 2 | - | pipe | me | assess --answers $W/follow_up_not_asked.json | at /swelling_fast: answered, but this question is not asked | EMPTY
answers: number out of range | 2 | - | pipe | me | assess --answers $W/out_of_range.json | at /age: 500 is not a valid answer: 500 is above the highest age this asks (120 years) | EMPTY
answers: wrong type | 2 | - | pipe | me | assess --answers $W/wrong_type.json | at /leg_use:;expected one of "normal" | EMPTY
answers: 5000-byte answer | 2 | - | pipe | me | assess --answers $W/long_string.json | at /pain_onset: a text of 5000 bytes;at most 1000 bytes | EMPTY
answers: required answer missing | 2 | - | pipe | me | assess --answers $W/missing.json | at /age: missing: this question needs an answer | EMPTY
answers: a directory | 2 | - | pipe | me | assess --answers $W/folder | folder is a directory, not a file | EMPTY
answers: no read permission | 2 | - | pipe | nobody | assess --answers $W/noread.json | cannot read;noread.json: permission denied | EMPTY
answers: no such file | 2 | - | pipe | me | assess --answers $W/nope.json | cannot read;nope.json: no such file | EMPTY
answers: empty standard input | 2 | - | pipe | me | assess --answers - | <stdin>:1:1: invalid JSON | EMPTY
output: stdout closed | 2 | - | closed | me | assess --answers $answers | cannot write the report to standard output |
output: stdout on a full disk | 2 | - | full | me | assess --answers $answers | cannot write the report to standard output |
output: --output into a directory | 2 | - | pipe | me | assess --answers $answers --output $W/folder | cannot write;/folder: it is a folder | EMPTY
output: --output into a missing folder | 2 | - | pipe | me | assess --answers $answers --output $W/out/missing/report.txt | cannot write;/out/missing/report.txt: the folder;/out/missing does not exist | EMPTY
output: --output to a full disk (a link to /dev/full) | 2 | - | pipe | me | assess --answers $answers --output $W/links/full | cannot write;links/full: no space left on device | EMPTY
output: --output written whole | 0 | - | pipe | me | assess --answers $answers --format json --output $W/out/report.json --no-save | This check-in was not stored in your history (--no-save). | EMPTY
output: questions, stdout on a full disk | 2 | - | full | me | questions | cannot write |
output: validate, stdout closed | 2 | - | closed | me | validate | cannot write to standard output |
output: test, stdout on a full disk | 2 | - | full | me | test $project/data/cases | cannot write to standard output |
output: --help, stdout on a full disk | 2 | - | full | me | --help | cannot write to standard output |
output: test --junit into a directory | 2 | - | pipe | me | test $project/data/cases --junit $W/folder | cannot write;folder |
output: batch, stdout closed | 2 | - | closed | me | assess --batch $W/b_unknown.jsonl | cannot write to standard output |
rules: empty file | 2 | - | pipe | me | --rules $W/r_empty.json questions | r_empty.json:1:1: invalid JSON | EMPTY
rules: not JSON | 2 | - | pipe | me | --rules $W/r_notjson.json questions | r_notjson.json:1:1: invalid JSON | EMPTY
rules: an array, not an object | 2 | - | pipe | me | --rules $W/r_array.json questions | r_array.json: expected an object, found array | EMPTY
rules: truncated file | 2 | - | pipe | me | --rules $W/r_truncated.json questions | r_truncated.json:601:1: invalid JSON: unexpected end of input | EMPTY
rules: byte order mark | 2 | - | pipe | me | --rules $W/r_bom.json questions | r_bom.json:1:1:;byte order mark | EMPTY
rules: invalid UTF-8 (overlong) | 2 | - | pipe | me | --rules $W/r_utf8.json questions | r_utf8.json:;not UTF-8 (byte 0xC0) | EMPTY
rules: NUL byte at the end | 2 | - | pipe | me | --rules $W/r_nul.json questions | r_nul.json:;NUL byte | EMPTY
rules: 100 MB file | 2 | - | pipe | me | --rules $W/big.json questions | big.json is larger than the limit of 4194304 bytes | EMPTY
rules: nesting 100,000 deep | 2 | - | pipe | me | --rules $W/deep.json questions | deep.json:1:129:;nested deeper than 128 levels | EMPTY
rules: number that overflows | 2 | - | pipe | me | --rules $W/r_overflow.json questions | r_overflow.json:;invalid JSON;1e999 | EMPTY
rules: too many questions | 2 | - | pipe | me | --rules $W/r_many_questions.json questions | r_many_questions.json: at /questions: too many questions (235, limit 200) | EMPTY
rules: too many options | 2 | - | pipe | me | --rules $W/r_many_options.json questions | at /questions/1/options: too many options | EMPTY
rules: too many indicators | 2 | - | pipe | me | --rules $W/r_many_indicators.json questions | at /causes/0/indicators: too many indicators;limit 100 | EMPTY
rules: too many red flags | 2 | - | pipe | me | --rules $W/r_many_red_flags.json questions | at /red_flags: too many red flags;limit 100 | EMPTY
rules: a directory | 2 | - | pipe | me | --rules $W/folder questions | --rules;directory | EMPTY
rules: no read permission | 2 | - | pipe | nobody | --rules $W/r_noread.json questions | cannot read;r_noread.json: permission denied | EMPTY
validate: invalid UTF-8, as JSON | 1 | - | pipe | me | validate --format json $W/r_utf8.json | | "severity": "error";not UTF-8 (byte 0xC0)
validate: too many questions | 1 | - | pipe | me | validate $W/r_many_questions.json | | r_many_questions.json:;error: too many questions (235, limit 200) (at /questions)
validate: 100 MB file | 1 | - | pipe | me | validate $W/big.json | | big.json: error:;larger than the limit
validate: number that overflows, as GitHub annotations | 1 | - | pipe | me | validate --format github $W/r_overflow.json | | ::error file=;r_overflow.json;1e999
validate: no such file | 1 | - | pipe | me | validate $W/nope.json | | nope.json: error: cannot read
test: a case file with invalid UTF-8 | 1 | - | pipe | me | test $W/cases_utf8 | | bad.json:1:;not UTF-8 (byte 0xFF);0 passed, 1 failed
test: a case with a number that overflows | 1 | - | pipe | me | test $W/cases_overflow | | bad.json:1:;1e999;0 passed, 1 failed
test: a folder without cases | 2 | - | pipe | me | test $W/cases_none | cases_none |
logic: rule not JSON | 2 | - | pipe | me | logic '{"var": ' | RULE:1:;invalid JSON | EMPTY
logic: rule with invalid UTF-8 | 2 | - | pipe | me | logic $'{"var": "\xff"}' | RULE:1:;not UTF-8 (byte 0xFF) | EMPTY
logic: data that overflows | 2 | - | pipe | me | logic '{"var": "a"}' '{"a": 1e999}' | DATA:1:;1e999 | EMPTY
logic: rule nested 100,000 deep | 2 | - | pipe | me | logic @$W/deep.json | deep.json:1:129:;nested deeper than 128 levels | EMPTY
logic: 100 MB answers file | 2 | - | pipe | me | logic '{"var": "age"}' --answers $W/big.json | big.json is larger than the limit of 1048576 bytes | EMPTY
logic: answers with an unknown id | 2 | - | pipe | me | logic '{"var": "age"}' --answers $W/unknown_id.json | unknown_id.json: at /legg_use: unknown question id | EMPTY
logic: rule file missing | 2 | - | pipe | me | logic @$W/nope.json | nope.json: no such file | EMPTY
batch: a line with invalid UTF-8 | 2 | - | pipe | me | assess --batch $W/b_utf8.jsonl | 1 of 3 lines | "line":2,"error":"invalid JSON";not UTF-8 (byte 0xFF);"kneecheck_assessment":1
batch: a line with a number that overflows | 2 | - | pipe | me | assess --batch $W/b_overflow.jsonl | 1 of 3 lines | "line":2,"error":"invalid JSON";1e999
batch: a line with a NUL byte | 2 | - | pipe | me | assess --batch $W/b_nul.jsonl | 1 of 3 lines | "line":2,"error":"invalid JSON";NUL byte
batch: a line nested 100,000 deep | 2 | - | pipe | me | assess --batch $W/b_deep.jsonl | 1 of 3 lines | "line":2,"error":"invalid JSON";nested deeper than 128 levels
batch: a line of 100 MB | 2 | - | pipe | me | assess --batch $W/b_big.jsonl | 1 of 3 lines | "line":2,"error":"line too long";limit of 1048576 bytes
batch: a truncated line | 2 | - | pipe | me | assess --batch $W/b_truncated.jsonl | 1 of 3 lines | "line":2,"error":"invalid JSON";unexpected end of input
batch: a line with an unknown id | 2 | - | pipe | me | assess --batch $W/b_unknown.jsonl | 1 of 3 lines | "line":2,"error":"invalid answers";"pointer":"/legg_use"
batch: a 100 MB line on standard input | 2 | $W/b_big.jsonl | pipe | me | assess --batch - | 1 of 3 lines | "error":"line too long"
batch: a directory | 2 | - | pipe | me | assess --batch $W/folder | folder is a directory, not a file | EMPTY
batch: no such file | 2 | - | pipe | me | assess --batch $W/nope.jsonl | cannot read;nope.jsonl: no such file | EMPTY
batch: no read permission | 2 | - | pipe | nobody | assess --batch $W/noread.json | cannot read;noread.json: permission denied | EMPTY
typed: no input at all | 2 | $W/t_empty.txt | pipe | me | | input ended before question 1 (age) | EMPTY
typed: invalid UTF-8 | 2 | $W/t_utf8.txt | pipe | me | | line 1: question 1 (age): "\xFF": not UTF-8 text (byte 0xFF at column 1) | EMPTY
typed: NUL byte | 2 | $W/t_nul.txt | pipe | me | | line 1: question 1 (age): "3\x00x": a NUL byte (at column 2) | EMPTY
typed: a line of 100 MB | 2 | $W/big.json | pipe | me | | line 1: question 1 (age);answer longer than 1000 characters | EMPTY
typed: number that overflows | 2 | $W/t_overflow.txt | pipe | me | | line 1: question 1 (age): "1e999";whole number from 1 to 120 | EMPTY
typed: nan | 2 | $W/t_nan.txt | pipe | me | | line 1: question 1 (age): "nan";whole number from 1 to 120 | EMPTY
typed: inf | 2 | $W/t_inf.txt | pipe | me | | line 1: question 1 (age): "inf";whole number from 1 to 120 | EMPTY
typed: number out of range | 2 | $W/t_huge.txt | pipe | me | | line 1: question 1 (age): "1e308";whole number from 1 to 120 | EMPTY
typed: choice not offered | 2 | $W/t_not_offered.txt | pipe | me | | line 2: question 2 (pain_onset): "9": choose a number from 1 to 3 | EMPTY
typed: input that ends early | 2 | $W/t_truncated.txt | pipe | me | | input ended before question 3 (pain_duration) | EMPTY
typed: stdout on a full disk | 2 | $W/t_truncated.txt | full | me | | input ended before question 3 |
TABLE
)

# --- running a row ---------------------------------------------------------------

# How to run a command as nobody, when we are root; empty when we cannot.
as_nobody=()
if [ "$(id -u)" -eq 0 ]; then
  if command -v setpriv >/dev/null && setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
    as_nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
  elif command -v runuser >/dev/null && runuser -u nobody -- true 2>/dev/null; then
    as_nobody=(runuser -u nobody --)
  fi
fi
# nobody may not reach the build folder: run a copy from $W.
cp "$kneecheck" "$W/kneecheck"
chmod 755 "$W/kneecheck"

trim() { local s=$1; s=${s#"${s%%[![:space:]]*}"}; s=${s%"${s##*[![:space:]]}"}; printf '%s' "$s"; }

problems=()
problem() { problems+=("$1"); }

# check_words FILE WORDS: every ;-separated word occurs in FILE; EMPTY: FILE is empty.
check_words() {
  local file=$1 words=$2 stream=$3 word
  [ -z "$words" ] && return
  if [ "$words" = EMPTY ]; then
    [ -s "$file" ] && problem "$stream is not empty"
    return
  fi
  IFS=';' read -r -a list <<<"$words"
  for word in "${list[@]}"; do
    word=$(trim "$word")
    [ -z "$word" ] && continue
    grep -qF -- "$word" "$file" || problem "$stream lacks: $word"
  done
}

run_row() {
  local name=$1 expected=$2 input=$3 output=$4 user=$5 arguments=$6 err_words=$7 out_words=$8
  problems=()
  local -a command=("$kneecheck")
  if [ "$user" = nobody ]; then
    if [ "$(id -u)" -eq 0 ]; then
      if [ ${#as_nobody[@]} -eq 0 ]; then
        echo "SKIP: $name: running as root, and neither setpriv nor runuser can switch to nobody"
        skipped=$((skipped + 1))
        return
      fi
      command=("${as_nobody[@]}" "$W/kneecheck")
    fi
  fi
  if [ "$output" = full ] && [ ! -c /dev/full ]; then
    echo "SKIP: $name: no /dev/full here"
    skipped=$((skipped + 1))
    return
  fi
  rm -rf "$W/out"
  mkdir "$W/out"
  chmod 777 "$W/out"
  eval "set -- $arguments"
  if [ "$input" = - ]; then input=/dev/null; else eval "input=$input"; fi
  local code
  case $output in
    pipe) timeout 20 "${command[@]}" "$@" <"$input" >"$W/stdout" 2>"$W/stderr" ;;
    closed) timeout 20 "${command[@]}" "$@" <"$input" >&- 2>"$W/stderr" ;;
    full) timeout 20 "${command[@]}" "$@" <"$input" >/dev/full 2>"$W/stderr" ;;
  esac
  code=$?
  [ "$output" = pipe ] || : >"$W/stdout"

  if [ "$code" -eq 124 ]; then
    problem "hung: no exit within 20 s"
  elif [ "$code" -ne "$expected" ]; then
    problem "exit code $code, expected $expected"
  fi
  if [ "$code" -ge 128 ] && [ "$code" -ne 130 ]; then problem "killed by signal $((code - 128))"; fi
  if grep -qE 'terminate called|Aborted|Segmentation fault|core dumped|AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:|internal error' "$W/stderr"; then
    problem "stderr shows a crash or an internal error"
  fi
  check_words "$W/stderr" "$err_words" stderr
  check_words "$W/stdout" "$out_words" stdout
  # --output: whole or nothing, and never a temporary file left beside it.
  local left
  left=$(find "$W/out" "$W/folder" "$W/links" -name '*.tmp-*' 2>/dev/null)
  [ -n "$left" ] && problem "temporary file left behind: $left"
  if [ "$code" -ne 0 ] && [ -n "$(find "$W/out" -type f 2>/dev/null)" ]; then
    problem "a failed run left a report file: $(find "$W/out" -type f)"
  fi
  if [ "$code" -eq 0 ] && [[ " $arguments " == *' --output $W/out/'* ]] && [ -z "$(find "$W/out" -type f -size +0)" ]; then
    problem "--output wrote no report"
  fi
  if [ ! -L "$W/links/full" ]; then
    problem "the link to /dev/full was replaced"
    rm -rf "$W/links/full"
    ln -s /dev/full "$W/links/full"
  fi
  [ "$(find "$W/folder" -mindepth 1 | wc -l)" -eq 0 ] || problem "something was written into $W/folder"

  if [ ${#problems[@]} -eq 0 ]; then
    passed=$((passed + 1))
    echo "ok: $name"
  else
    failed=$((failed + 1))
    echo "FAIL: $name: kneecheck $arguments"
    for p in "${problems[@]}"; do echo "    $p"; done
    echo "    stderr: $(head -c 400 "$W/stderr" | tr -d '\0')"
    echo "    stdout: $(head -c 200 "$W/stdout" | tr -d '\0')"
  fi
}

rows=0
while IFS= read -r line; do
  [ -z "$(trim "$line")" ] && continue
  IFS='|' read -r name expected input output user arguments err_words out_words <<<"$line"
  rows=$((rows + 1))
  run_row "$(trim "$name")" "$(trim "$expected")" "$(trim "$input")" "$(trim "$output")" "$(trim "$user")" \
    "$(trim "$arguments")" "$(trim "$err_words")" "$(trim "$out_words")"
done <<<"$matrix"

harness_finish "matrix ($skipped skipped, $rows rows)"
