#!/usr/bin/env bash
# The HTML report in a real browser: headless Chromium (Debian's chromium
# package) renders a report and a report from a hostile rule file, and this
# checks what the page shows, that no rule text ran as a script or became an
# element, and writes screenshots.
#   tests/browser/check.sh PATH/TO/kneecheck PROJECT_DIR OUTPUT_DIR
# Installs chromium with apt-get when it is missing and this runs as root.
# Prints "browser: N passed, N failed"; exits 1 on any failure, 77 (a skip)
# when no chromium can be had.
set -uo pipefail

kneecheck=$1
project=$2
out=$3
fixtures=$project/tests/fixtures
answers_dir=${KNEECHECK_TEST_ANSWERS:?run through ctest}
. "$project/tests/bin/harness.sh"
harness_start
mkdir -p "$out"


find_chromium() { command -v chromium || command -v chromium-browser; }

chromium=$(find_chromium)
if [ -z "$chromium" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "browser: installing Debian's chromium (apt-get install -y chromium)" >&2
  export DEBIAN_FRONTEND=noninteractive
  # Bounded, so that an unreachable mirror ends in a skip, not in ctest's timeout.
  timeout 200 apt-get install -y -qq chromium >"$work/apt.log" 2>&1 ||
    { timeout 60 apt-get update -qq >>"$work/apt.log" 2>&1 &&
      timeout 200 apt-get install -y -qq chromium >>"$work/apt.log" 2>&1; }
  chromium=$(find_chromium)
fi
if [ -z "$chromium" ]; then
  echo "SKIP: browser: chromium is not installed and cannot be installed here" \
    "(as root: apt-get install chromium). $(tail -n 2 "$work/apt.log" 2>/dev/null)"
  exit 77
fi

# browser ARGS... URL: a fresh profile each time, nothing fetched from outside.
browser() {
  local profile
  profile=$(mktemp -d "$work/profile.XXXXXX")
  timeout 90 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars \
    --user-data-dir="$profile" "$@" 2>>"$work/chromium.log"
}


# in_order FILE PIECE...: each piece occurs in FILE after the one before.
in_order() {
  local file=$1
  shift
  local text
  text=$(tr '\n' ' ' <"$file")
  for piece in "$@"; do
    case $text in
      *"$piece"*) text=${text#*"$piece"} ;;
      *) echo "  not found (in order): $piece" >&2; return 1 ;;
    esac
  done
}

# --- A real report: a ranking, the escalation, the answers ---------------------
answers=$answers_dir/top_muscular_imbalances_1.json
"$kneecheck" assess --answers "$answers" --date 2026-01-10 --format html --output "$out/report.html" ||
  fail "kneecheck assess --format html exited $?"
"$kneecheck" assess --answers "$answers" --date 2026-01-10 --format text --color never >"$work/report.txt"

browser --dump-dom "file://$out/report.html" >"$work/report.dom"
check "chromium renders the report (--dump-dom)" grep -q '<h1>' "$work/report.dom"

# What to do now first, then what the runner reported, the summary, the
# causes in the text report's order, the sources and the disclaimer.
mapfile -t titles < <(sed -n '/^Likely causes, most likely first$/,/^Sources$/p' "$work/report.txt" |
  sed -n 's/^\([0-9][0-9]*[.=]\) \(.*\)$/<span class="rank">\1<\/span> \2/p' | sed 's/ (joint [a-z]*)$//')
check "the text report ranks at least two causes" test "${#titles[@]}" -ge 2
check "what to do now comes first" \
  in_order "$work/report.dom" '<h1>' 'class="escalation level-self_care"' 'Look after it yourself and check again on' \
  '<h2>What the runner reported</h2>' '<h2>In short</h2>' 'This week' "${titles[0]}"
check "the causes are shown in rank order: ${titles[*]}" in_order "$work/report.dom" "${titles[@]}"
check "the chart is in the page before the causes, one bar per cause pointed to" \
  in_order "$work/report.dom" '<svg class="chart"' 'class="bar ' '</svg>' "${titles[0]}"
bars=$(grep -o '<rect class="bar ' "$work/report.dom" | wc -l)
check "one bar per cause pointed to (${#titles[@]}; found $bars)" test "$bars" -eq "${#titles[@]}"
check "the weekly distances are drawn in the runner's card" grep -q 'class="fixed weekly"' "$work/report.dom"
check "the sources and the disclaimer close the page" \
  in_order "$work/report.dom" "${titles[-1]}" '<h2>Sources</h2>' 'id="source-1"' 'It is not a diagnosis' \
  'This check does not cover'
check "the answers are in words, not ids" bash -c "! grep -q 'strength_training' '$work/report.dom'"

# Printed on A4, a typical self-care report takes at most three pages. The
# page itself leaves the paper size to the printer (size: auto); A4 is asked
# for here. Every page carries the date and its number.
print_pages() {  # print_pages HTML PDF: prints at A4 and echoes the page count
  sed 's/size: auto/size: A4/' "$1" >"$work/a4.html"
  browser --no-pdf-header-footer --print-to-pdf="$2" "file://$work/a4.html" >/dev/null
  grep -aoE '/Type ?/Page([^s]|$)' "$2" | wc -l
}
for name in top_overuse_training_errors_1 top_muscular_imbalances_1 top_inadequate_footwear_1; do
  "$kneecheck" assess --answers "$answers_dir/$name.json" --date 2026-01-10 --no-save --format html \
    --output "$out/print-$name.html"
  pages=$(print_pages "$out/print-$name.html" "$out/print-$name.pdf")
  check "the self-care report $name prints on at most 3 A4 pages (got $pages)" test "${pages:-99}" -le 3 -a "${pages:-0}" -ge 1
done
check "the printed footer holds the date and the page number" \
  grep -q 'bottom-left { content: "kneecheck · check-in of 2026-01-10"' "$out/print-top_overuse_training_errors_1.html"

browser --screenshot="$out/report.png" --window-size=1000,2000 "file://$out/report.html" >/dev/null
check "a screenshot is written to $out/report.png" test -s "$out/report.png"
check "the screenshot is a PNG" grep -q 'PNG' <(head -c 8 "$out/report.png")

# --- A red flag: the escalation comes first, in red --------------------------
"$kneecheck" assess --answers "$answers_dir/red_flag_knee_locked.json" --date 2026-01-10 --format html \
  --output "$out/report-urgent.html"
browser --dump-dom "file://$out/report-urgent.html" >"$work/urgent.dom"
check "an urgent red flag is shown first" \
  in_order "$work/urgent.dom" '<h1>' 'class="escalation level-urgent"' 'Get the knee seen today' 'flag-urgent' 'id="causes"'
browser --screenshot="$out/report-urgent.png" --window-size=1000,1200 "file://$out/report-urgent.html" >/dev/null
check "a screenshot of the urgent report is written" test -s "$out/report-urgent.png"

# --- A hostile rule file: its markup shows as text and never runs --------------
script="<script>document.title='pwned'</script>"
image="<img src=x onerror=alert(1)>"
sed -e "s|\"title\": \"Test rules\"|\"title\": \"Test rules $script\"|" \
  -e "s|\"title\": \"Overuse\"|\"title\": \"Overuse $script\"|" \
  -e "s|\"because\": \"it hurts at the front\"|\"because\": \"it hurts at the front $image\"|" \
  -e "s|\"text\": \"Build up gradually.\"|\"text\": \"Build up gradually. $script\"|" \
  -e "s|\"message\": \"Book within days.\"|\"message\": \"Book within days. $image\"|" \
  -e "s|\"label\": \"Front\"|\"label\": \"Front $image\"|" \
  "$fixtures/minimal_rules.json" >"$work/hostile.json"
check "the hostile rule file holds the markup" grep -qF "$script" "$work/hostile.json"
printf '%s\n' '{"where": ["front", "outer"], "onset": "injury", "locks": false, "pain": 9, "km": 40, "km_before": 20}' \
  >"$work/hostile-answers.json"
"$kneecheck" --rules "$work/hostile.json" assess --answers "$work/hostile-answers.json" --date 2026-01-10 \
  --format html --output "$out/report-hostile.html" || fail "kneecheck assess with the hostile rules exited $?"

browser --dump-dom "file://$out/report-hostile.html" >"$work/hostile.dom"
check "chromium renders the hostile report" grep -q '<h1>' "$work/hostile.dom"
check "no <script> element in the DOM" bash -c "! grep -qi '<script' '$work/hostile.dom'"
check "no <img> element in the DOM" bash -c "! grep -qi '<img' '$work/hostile.dom'"
check "the document title is unchanged" grep -qF "<title>Test rules &lt;script&gt;document.title='pwned'&lt;/script&gt; · 2026-01-10</title>" "$work/hostile.dom"
check "the title is not 'pwned'" bash -c "! grep -q '<title>pwned</title>' '$work/hostile.dom'"
# Serialized text nodes escape < and >: the markup is in the page as text.
check "the script shows as text in the heading" \
  grep -qF "<h1>Test rules &lt;script&gt;document.title='pwned'&lt;/script&gt;</h1>" "$work/hostile.dom"
check "the script shows as text in the cause title and advice" \
  in_order "$work/hostile.dom" "Overuse &lt;script&gt;document.title='pwned'&lt;/script&gt;</h3>" \
  "Build up gradually. &lt;script&gt;document.title='pwned'&lt;/script&gt; <sup"
check "the image tag shows as text in the red flag, the reason and the answer" \
  in_order "$work/hostile.dom" "Book within days. &lt;img src=x onerror=alert(1)&gt;" \
  "it hurts at the front &lt;img src=x onerror=alert(1)&gt;" "Front &lt;img src=x onerror=alert(1)&gt;"
browser --screenshot="$out/report-hostile.png" --window-size=1000,2000 "file://$out/report-hostile.html" >/dev/null
check "a screenshot of the hostile report is written" test -s "$out/report-hostile.png"

# The plan prints an overview, a page for every two weeks and the sources:
# five pages for six weeks, on A4 and on Letter alike.
"$kneecheck" plan --answers "$project/tests/fixtures/plan/muscular_front.json" --date 2026-01-10 \
  --db "$work/no-history.db" --format html --output "$out/plan.html"
for paper in A4 Letter; do
  sed "s/size: auto/size: $paper/" "$out/plan.html" >"$work/plan-$paper.html"
  browser --no-pdf-header-footer --print-to-pdf="$out/plan-$paper.pdf" "file://$work/plan-$paper.html" >/dev/null
  pages=$(grep -aoE '/Type ?/Page([^s]|$)' "$out/plan-$paper.pdf" | wc -l)
  check "the plan prints on 5 $paper pages, one for every two weeks (got $pages)" test "${pages:-0}" -eq 5
done
browser --dump-dom "file://$out/plan.html" >"$work/plan.dom"
check "the plan's pages hold the weeks in order" \
  in_order "$work/plan.dom" "Your 6-week plan" "Weeks 1 and 2" "Week 1: " "Weeks 3 and 4" "Weeks 5 and 6" "Sources"
browser --screenshot="$out/plan.png" --window-size=1000,2000 "file://$out/plan.html" >/dev/null
check "a screenshot of the plan is written to $out/plan.png" test -s "$out/plan.png"

echo "browser: $passed passed, $failed failed (screenshots in $out: report.png, report-urgent.png, report-hostile.png;" \
  "printed: print-*.pdf)"
if [ "$failed" -ne 0 ]; then
  echo "chromium's log: $(tail -n 5 "$work/chromium.log")" >&2
  exit 1
fi
exit 0
