#!/usr/bin/env bash
# Checks the layering of docs/architecture.md ("Folders by layer") on every
# #include in src/ and include/ of a source tree: a folder may include only
# itself and folders of a lower layer, another folder's private headers
# (src/FOLDER/...) never, and of the third-party libraries only fmt and
# nlohmann (from base up) and those its own row names. Each breach is printed
# as FILE:LINE: what is wrong; exit 1 when there is one, 0 otherwise.
#
#   tests/architecture/check_layers.sh SOURCE_TREE
set -uo pipefail

root=${1:?usage: check_layers.sh SOURCE_TREE}
cd "$root" || exit 2

# folder layer confined-third-party-libraries
layers="
base 0
logic 1
rules 2
answers 3
runs 3 pugixml zlib csv
interview 4
history 4 sqlite3
engine 5
plan 6
report 7
authoring 8
cli 9 CLI11
"

# The third-party library an angle-bracket include belongs to, or nothing for
# the standard library and the system's headers.
third_party_of() {
  case $1 in
    fmt/*) echo fmt ;;
    nlohmann/*) echo nlohmann ;;
    sqlite3.h) echo sqlite3 ;;
    pugixml.hpp | pugiconfig.hpp) echo pugixml ;;
    zlib.h | zconf.h) echo zlib ;;
    csv.h) echo csv ;;
    CLI/*) echo CLI11 ;;
    catch2/*) echo Catch2 ;;
  esac
}

layer_of() { awk -v f="$1" '$1 == f { print $2 }' <<<"$layers"; }
confined_to() { awk -v lib="$1" '{ for (i = 3; i <= NF; i++) if ($i == lib) print $1 }' <<<"$layers"; }

breaches=0
breach() {
  echo "$1"
  breaches=$((breaches + 1))
}

while IFS= read -r file; do
  case $file in
    src/*) folder=${file#src/} ;;
    include/kneecheck/*) folder=${file#include/kneecheck/} ;;
    *) continue ;;
  esac
  if [ "$folder" = "${folder%%/*}" ]; then
    breach "$file:1: not in a folder by layer"
    continue
  fi
  folder=${folder%%/*}
  own=$(layer_of "$folder")
  if [ -z "$own" ]; then
    breach "$file:1: $folder/ is no folder of the layout"
    continue
  fi
  while IFS=: read -r line text; do
    target=$(sed -E 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]([^">]+)[">].*/\1/' <<<"$text")
    if [[ $text =~ \#[[:space:]]*include[[:space:]]*\< ]]; then
      library=$(third_party_of "$target")
      [ -z "$library" ] && continue
      case $library in fmt | nlohmann) continue ;; esac
      home=$(confined_to "$library")
      [ "$home" = "$folder" ] && continue
      breach "$file:$line: $folder/ may not use $library (<$target>)${home:+, which only $home/ may use}"
      continue
    fi
    case $target in
      kneecheck/*/*) other=${target#kneecheck/}; other=${other%%/*}; private=no ;;
      */*) other=${target%%/*}; private=yes ;;
      *) breach "$file:$line: \"$target\" names no folder: include \"kneecheck/FOLDER/...\" or \"FOLDER/...\""; continue ;;
    esac
    theirs=$(layer_of "$other")
    if [ -z "$theirs" ]; then
      breach "$file:$line: \"$target\": $other/ is no folder of the layout"
    elif [ "$other" = "$folder" ]; then
      continue
    elif [ "$private" = yes ]; then
      breach "$file:$line: $folder/ includes a private header of $other/: \"$target\""
    elif [ "$theirs" -ge "$own" ]; then
      breach "$file:$line: $folder/ (layer $own) includes $other/ (layer $theirs), which is not below it: \"$target\""
    fi
  done < <(grep -n -E '^[[:space:]]*#[[:space:]]*include' "$file")
done < <(find src include -type f \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' \) 2>/dev/null | sort)

if [ "$breaches" -ne 0 ]; then
  echo "$breaches include(s) break the layering of docs/architecture.md" >&2
  exit 1
fi
exit 0
