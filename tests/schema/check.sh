#!/usr/bin/env bash
# Checks that data/rules.schema.json and the C++ rule loader agree:
#   - the schema is a valid draft 2020-12 schema;
#   - data/rules.json, tests/fixtures/minimal_rules.json and the files in
#     tests/schema/valid/ (edge cases: unknown keys, keys a question type
#     ignores, empty lists, whole numbers written 14.0) pass both;
#   - every file in tests/fixtures/invalid_rules/ is rejected by the loader
#     (exit 2) at the pointer and with the message EXPECTED.json gives;
#   - the schema rejects those EXPECTED.json marks structural, at a location on
#     the same path as the loader's, and accepts the others (duplicates,
#     references and question order are beyond a JSON Schema).
#
#   tests/schema/check.sh PATH/TO/kneecheck PROJECT_DIR
#
# The JSON Schema validator, used only here:
#   - Debian's python3-jsonschema (bookworm: 4.10, draft 2020-12 since 4.0),
#     when it is installed: no network, versions fixed by the Debian release;
#   - else Ajv from npm, the versions pinned by package-lock.json beside this
#     script, installed with `npm ci` into the build directory (next to the
#     kneecheck binary, never the source tree) and reused offline from then on.
# KNEECHECK_SCHEMA_VALIDATOR=jsonschema or =ajv forces one.
#
# Prints "schema: N passed, N failed". Exits 1 on any failure; 77 (a skip for
# ctest) when no validator can be had, after running the loader's checks.
set -uo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 PATH/TO/kneecheck PROJECT_DIR" >&2
  exit 2
fi
kneecheck=$(realpath "$1")
project=$(realpath "$2")
here=$project/tests/schema
schema=$project/data/rules.schema.json
invalid_dir=$project/tests/fixtures/invalid_rules
valid_files=("$project/data/rules.json" "$project/tests/fixtures/minimal_rules.json" "$here"/valid/*.json)
. "$project/tests/bin/harness.sh"
harness_start

# --- choosing the validator --------------------------------------------------

validator=
skip_reason=

have_debian_jsonschema() {
  dpkg-query -W -f='${Status}' python3-jsonschema 2>/dev/null | grep -q "install ok installed" &&
    /usr/bin/python3 -c 'from jsonschema import Draft202012Validator' 2>/dev/null
}

# Installs the locked Ajv into $ajv_dir unless the same lock is there already.
install_ajv() {
  ajv_dir=$(dirname "$kneecheck")/schema-validator
  if cmp -s "$here/package-lock.json" "$ajv_dir/package-lock.json" && [ -f "$ajv_dir/node_modules/ajv/package.json" ]; then
    return 0
  fi
  echo "schema: installing the validator (npm ci) into $ajv_dir"
  rm -rf "$ajv_dir"
  mkdir -p "$ajv_dir"
  cp "$here/package.json" "$here/package-lock.json" "$ajv_dir/"
  if ! (cd "$ajv_dir" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error --fetch-timeout=60000 --fetch-retries=2) >"$work/npm.log" 2>&1; then
    skip_reason="npm ci failed: $(grep -v 'Unknown user config' "$work/npm.log" | tail -n 3 | tr '\n' ' ')"
    rm -rf "$ajv_dir"
    return 1
  fi
}

choose_validator() {
  local wanted=${KNEECHECK_SCHEMA_VALIDATOR:-}
  case "$wanted" in
    "" | jsonschema)
      if have_debian_jsonschema; then
        validator=jsonschema
        return
      fi
      if [ "$wanted" = jsonschema ]; then
        skip_reason="Debian's python3-jsonschema is not installed"
        return
      fi
      ;;
    ajv) ;;
    *)
      echo "KNEECHECK_SCHEMA_VALIDATOR must be jsonschema or ajv, not $wanted" >&2
      exit 2
      ;;
  esac
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    skip_reason="neither Debian's python3-jsonschema nor node and npm are installed"
    return
  fi
  install_ajv && validator=ajv
}

# validate FILE...: one line a file, "valid<TAB>FILE" or "invalid<TAB>FILE<TAB>why".
validate() {
  case "$validator" in
    jsonschema) /usr/bin/python3 "$here/validate.py" "$schema" "$@" ;;
    ajv) node "$here/validate.cjs" "$ajv_dir" "$schema" "$@" ;;
  esac
}

# EXPECTED.json as lines "FILE<TAB>POINTER<TAB>MESSAGE<TAB>STRUCTURAL", the
# pointer as "=/the/pointer" ("=" for the root) or "null".
expected_lines() {
  local program='
    const expected = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    for (const [file, e] of Object.entries(expected)) {
      const pointer = e.pointer === null ? "null" : "=" + e.pointer;
      console.log([file, pointer, e.message, e.structural].join("\t"));
    }'
  if command -v node >/dev/null; then
    node -e "$program" "$invalid_dir/EXPECTED.json"
  elif command -v jq >/dev/null; then
    jq -r 'to_entries[] | [.key, (if .value.pointer == null then "null" else "=" + .value.pointer end),
           .value.message, (.value.structural | tostring)] | join("\t")' "$invalid_dir/EXPECTED.json"
  elif [ -x /usr/bin/python3 ]; then
    /usr/bin/python3 -c '
import json, sys
for file, e in json.load(open(sys.argv[1], encoding="utf-8")).items():
    pointer = "null" if e["pointer"] is None else "=" + e["pointer"]
    print("\t".join([file, pointer, e["message"], str(e["structural"]).lower()]))' "$invalid_dir/EXPECTED.json"
  else
    return 1
  fi
}

# on_one_path A B: one JSON pointer is B itself, inside it, or contains it.
on_one_path() {
  [ "$1" = "$2" ] || [[ "$2" == "$1"/* ]] || [[ "$1" == "$2"/* ]]
}

choose_validator
if [ -n "$validator" ]; then
  echo "schema: validator: $validator"
else
  echo "SKIP: schema: no JSON Schema validator: $skip_reason; checking the loader only"
fi

# --- the expectations ----------------------------------------------------------

if ! expected_lines >"$work/expected.tsv" 2>"$work/expected.err"; then
  echo "SKIP: schema: cannot read EXPECTED.json without node, jq or python3: $(head -c 300 "$work/expected.err")"
  exit 77
fi
declare -A expected_pointer expected_message expected_structural
while IFS=$'\t' read -r file pointer message structural; do
  expected_pointer[$file]=$pointer
  expected_message[$file]=$message
  expected_structural[$file]=$structural
done <"$work/expected.tsv"

fixtures=()
for path in "$invalid_dir"/*.json; do
  name=$(basename "$path")
  [ "$name" = EXPECTED.json ] && continue
  fixtures+=("$name")
  [ -n "${expected_pointer[$name]+set}" ] || fail "$name: no entry in EXPECTED.json"
done
for name in "${!expected_pointer[@]}"; do
  [ -f "$invalid_dir/$name" ] || fail "EXPECTED.json names $name, which does not exist"
done
if [ ${#fixtures[@]} -ge 15 ]; then ok; else fail "only ${#fixtures[@]} invalid fixtures, expected at least 15"; fi

# --- the C++ loader -------------------------------------------------------------

# load FILE: runs kneecheck on the rule file; sets status, stderr in $work/err.
load() {
  timeout 20 "$kneecheck" --rules "$1" questions </dev/null >/dev/null 2>"$work/err"
  status=$?
}

for file in "${valid_files[@]}"; do
  load "$file"
  if [ "$status" -eq 0 ]; then ok; else fail "loader rejects $file (exit $status): $(head -c 400 "$work/err")"; fi
done

for name in "${fixtures[@]}"; do
  [ -n "${expected_pointer[$name]+set}" ] || continue
  load "$invalid_dir/$name"
  pointer=${expected_pointer[$name]}
  message=${expected_message[$name]}
  err=$(cat "$work/err")
  if [ "$status" -ne 2 ]; then
    fail "$name: loader exit $status, expected 2: $err"
  elif ! grep -qF -- "$message" "$work/err"; then
    fail "$name: loader message lacks \"$message\": $err"
  elif [ "$pointer" = null ] && ! grep -qE ':[0-9]+:[0-9]+: ' "$work/err"; then
    fail "$name: loader gives no line and column: $err"
  elif [ "$pointer" = "=" ] && grep -qF ': at /' "$work/err"; then
    fail "$name: loader points inside the file, expected the whole document: $err"
  elif [[ "$pointer" == =/* ]] && ! grep -qF -- ": at ${pointer#=}: " "$work/err"; then
    fail "$name: loader does not point at ${pointer#=}: $err"
  else
    ok
  fi
done

# --- kneecheck validate: the same verdicts, as diagnostics with a line ------------

for file in "${valid_files[@]}"; do
  timeout 20 "$kneecheck" validate "$file" </dev/null >"$work/out" 2>&1
  if [ $? -eq 0 ]; then ok; else fail "validate rejects $file: $(head -c 400 "$work/out")"; fi
done

for name in "${fixtures[@]}"; do
  [ -n "${expected_pointer[$name]+set}" ] || continue
  timeout 20 "$kneecheck" validate "$invalid_dir/$name" </dev/null >"$work/out" 2>&1
  status=$?
  pointer=${expected_pointer[$name]}
  out=$(cat "$work/out")
  if [ "$status" -ne 1 ]; then
    fail "$name: validate exit $status, expected 1: $out"
  elif ! grep -qF -- "$name:" "$work/out" || ! grep -qF -- ": error: " "$work/out"; then
    fail "$name: validate gives no file:line: error: $out"
  elif ! grep -qF -- "${expected_message[$name]}" "$work/out"; then
    fail "$name: validate message lacks \"${expected_message[$name]}\": $out"
  elif [[ "$pointer" == =/* ]] && ! grep -qF -- "(at ${pointer#=})" "$work/out"; then
    fail "$name: validate does not point at ${pointer#=}: $out"
  else
    ok
  fi
done

# --- the schema -------------------------------------------------------------------

if [ -z "$validator" ]; then
  echo "schema: $passed passed, $failed failed"
  [ "$failed" -eq 0 ] || exit 1
  exit 77
fi

finish() {
  echo "schema: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit
}

validate "${valid_files[@]}" >"$work/valid.tsv" 2>"$work/validator.err"
case $? in
  0) ok ;;
  2)
    fail "the schema is not a valid draft 2020-12 schema: $(cut -f3 "$work/valid.tsv")"
    finish
    ;;
  *)
    fail "the $validator validator failed: $(cat "$work/valid.tsv" "$work/validator.err")"
    finish
    ;;
esac
while IFS=$'\t' read -r verdict file why; do
  if [ "$verdict" = valid ]; then ok; else fail "schema rejects $file: $why"; fi
done < <(grep -E '^(valid|invalid)' "$work/valid.tsv")

paths=()
for name in "${fixtures[@]}"; do paths+=("$invalid_dir/$name"); done
if ! validate "${paths[@]}" >"$work/invalid.tsv" 2>"$work/validator.err"; then
  fail "the $validator validator failed on the invalid fixtures: $(cat "$work/validator.err")"
  finish
fi
declare -A schema_verdict schema_why
while IFS=$'\t' read -r verdict file why; do
  schema_verdict[$(basename "$file")]=$verdict
  schema_why[$(basename "$file")]=$why
done <"$work/invalid.tsv"

for name in "${fixtures[@]}"; do
  [ -n "${expected_pointer[$name]+set}" ] || continue
  verdict=${schema_verdict[$name]:-missing}
  why=${schema_why[$name]:-}
  pointer=${expected_pointer[$name]}
  if [ "$verdict" = missing ]; then
    fail "$name: the validator gave no verdict"
  elif [ "$pointer" = null ]; then
    # Not JSON at all: every JSON tool rejects it; no schema involved.
    if [ "$verdict" = invalid ]; then ok; else fail "$name: the validator accepts malformed JSON"; fi
  elif [ "${expected_structural[$name]}" = true ]; then
    location=${why%%: *}
    [ "$location" = / ] && location=
    if [ "$verdict" != invalid ]; then
      fail "$name: structural, but the schema accepts it"
    elif ! on_one_path "${pointer#=}" "$location"; then
      fail "$name: the schema rejects it at $location ($why), the loader at ${pointer#=}"
    else
      ok
    fi
  else
    # Beyond a JSON Schema: if the schema learns to catch it, mark it structural.
    if [ "$verdict" = valid ]; then ok; else fail "$name: marked not structural, but the schema rejects it: $why"; fi
  fi
done

finish
