#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into OUT/<target>/ from
data/rules.json, data/cases, tests/fixtures, JsonLogic rules of the unit tests
and, when present, the public JsonLogic suite. Called by fuzz/run.

usage: seeds.py SOURCE_DIR OUT [CONFORMANCE_DIR]"""
import hashlib
import json
import pathlib
import re
import sys

src = pathlib.Path(sys.argv[1])
out = pathlib.Path(sys.argv[2])
conformance = pathlib.Path(sys.argv[3]) if len(sys.argv) > 3 else None
fixtures = src / "tests" / "fixtures"


def write(target, data):
    if isinstance(data, str):
        data = data.encode()
    folder = out / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ("seed-" + hashlib.sha1(data).hexdigest())).write_bytes(data)


def compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


# rules: the default rules, the minimal fixture and every invalid one.
for path in [src / "data" / "rules.json", fixtures / "minimal_rules.json",
             *sorted((fixtures / "invalid_rules").glob("*.json"))]:
    write("rules", path.read_bytes())

# answers: the answers of every scenario case.
answer_sets = []
for path in sorted((src / "data" / "cases").glob("*.json")):
    case = json.loads(path.read_text())
    if isinstance(case, dict) and isinstance(case.get("answers"), dict):
        answer_sets.append(case["answers"])
        write("answers", json.dumps(case["answers"], indent=2))
write("answers", "{}")

# typed: the typed fixtures, and the same with help, back and quit.
for path in sorted((fixtures / "typed").glob("*.txt")):
    text = path.read_text()
    write("typed", text)
    lines = text.splitlines()
    if len(lines) > 3:
        write("typed", "\n".join(lines[:2] + ["?", "b", lines[1]] + lines[2:]) + "\n")
        write("typed", "\n".join(lines[:3] + ["x", "99", "q"]) + "\n")

# logic: every condition of the default rules against case answers, rules of
# the unit tests, and the public JsonLogic suite when it is there.
rules = json.loads((src / "data" / "rules.json").read_text())
conditions = [d["value"] for d in rules.get("derived", [])]
conditions += [q["ask_if"] for q in rules["questions"] if "ask_if" in q]
conditions += [f["when"] for f in rules.get("red_flags", [])]
conditions += [i["when"] for c in rules.get("causes", []) for i in c.get("indicators", [])]
routine = rules.get("escalation", {}).get("routine", {})
if isinstance(routine, dict) and "when" in routine:
    conditions.append(routine["when"])
for n, condition in enumerate(conditions):
    data = answer_sets[n % len(answer_sets)] if answer_sets else {}
    write("logic", compact(condition) + "\n" + compact(data))

raw = re.compile(r'R"\((.*?)\)"', re.S)
for path in sorted((src / "tests").glob("logic*.cpp")):
    for text in raw.findall(path.read_text()):
        try:
            json.loads(text)
        except ValueError:
            continue
        write("logic", compact(json.loads(text)) + "\n{}")

if conformance and conformance.is_dir():
    suite = conformance / "jsonlogic.com" / "tests.json"
    if suite.is_file():
        for entry in json.loads(suite.read_text()):
            if isinstance(entry, list) and len(entry) >= 2:
                write("logic", compact(entry[0]) + "\n" + compact(entry[1]))
