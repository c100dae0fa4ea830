#!/usr/bin/env bash
# The plan as an iCalendar file, read by an independent RFC 5545 parser
# (Debian's python3-icalendar, installed here when missing and this runs as
# root): one event per session on the chosen days of each of the six weeks,
# one check-in reminder a week, unique UIDs, a DTSTAMP on each, CRLF line
# ends and no line over 75 octets. Exit 77 (skipped) when no parser can be
# had.
#   tests/plan/ics_check.sh PATH/TO/kneecheck PROJECT_DIR
set -uo pipefail
kneecheck=$1
project=$2
python=/usr/bin/python3
[ -x "$python" ] || python=python3

if ! "$python" -c 'import icalendar' 2>/dev/null; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-icalendar >/dev/null 2>&1 ||
      { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-icalendar >/dev/null 2>&1; }
  fi
  "$python" -c 'import icalendar' 2>/dev/null || { echo "ics_check: no python3-icalendar; skipped"; exit 77; }
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
answers=$project/tests/fixtures/plan/muscular_front.json
"$kneecheck" plan --answers "$answers" --date 2026-11-30 --db "$work/none.db" --format ics --days mon,wed,fri \
  -o "$work/plan.ics" || { echo "ics_check: kneecheck plan failed"; exit 1; }

"$python" - "$work/plan.ics" <<'PY'
import sys, datetime, icalendar
raw = open(sys.argv[1], 'rb').read()
problems = []
if b'\n' in raw.replace(b'\r\n', b''):
    problems.append('a line ends without CR')
for number, line in enumerate(raw.split(b'\r\n'), 1):
    if len(line) > 75:
        problems.append(f'line {number} is {len(line)} octets')
calendar = icalendar.Calendar.from_ical(raw)
if calendar.get('VERSION') != '2.0' or not calendar.get('PRODID'):
    problems.append('VERSION 2.0 and PRODID are required')
events = [c for c in calendar.walk() if c.name == 'VEVENT']
uids = [str(e['UID']) for e in events]
if len(set(uids)) != len(uids):
    problems.append('UIDs repeat')
sessions = [e for e in events if 'check-in' not in str(e['SUMMARY'])]
reminders = [e for e in events if 'check-in' in str(e['SUMMARY'])]
if len(sessions) != 18:
    problems.append(f'{len(sessions)} sessions, expected 3 a week for 6 weeks')
if len(reminders) != 6:
    problems.append(f'{len(reminders)} check-in reminders, expected 6')
for event in events:
    if 'DTSTAMP' not in event:
        problems.append(f'{event["UID"]} has no DTSTAMP')
for event in sessions:
    day = event['DTSTART'].dt
    if day.weekday() not in (0, 2, 4):
        problems.append(f'a session on {day:%A %Y-%m-%d}')
    if not (datetime.date(2026, 12, 1) <= day <= datetime.date(2027, 1, 11)):
        problems.append(f'a session on {day} outside the six weeks')
if not any('Knee plan, week 1' == str(e['SUMMARY']) for e in sessions):
    problems.append('no session is called "Knee plan, week 1"')
if problems:
    print('ics_check: ' + '\nics_check: '.join(problems))
    sys.exit(1)
print(f'ics_check: {len(events)} events, all well-formed')
PY
