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

# fit, xml, csv: the files of tests/runs/fixtures (gzipped ones inflated),
# and FIT files the SDK cannot write: compressed-timestamp records and a
# big-endian session with developer fields, built here with their CRC.
import gzip
import struct

runs_fixtures = src / "tests" / "runs" / "fixtures"
kinds = {".fit": "fit", ".gpx": "xml", ".tcx": "xml", ".csv": "csv"}
for path in sorted(runs_fixtures.rglob("*")):
    if not path.is_file():
        continue
    data = path.read_bytes()
    name = path.name.lower()
    if name.endswith(".gz"):
        data = gzip.decompress(data)
        name = name[:-3]
    target = kinds.get(pathlib.Path(name).suffix)
    if target:
        write(target, data)


def fit_crc(data):
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def fit_file(body):
    header = struct.pack("<BBHI4s", 14, 0x20, 2120, len(body), b".FIT")
    header += struct.pack("<H", fit_crc(header))
    data = header + body
    return data + struct.pack("<H", fit_crc(data))


start = 1717225200 - 631065600  # 2024-06-01T07:00:00Z in FIT time
file_id = bytes([0x40, 0, 0]) + struct.pack("<H", 0) + bytes([1, 0, 1, 0]) + bytes([0x00, 4])
records = (bytes([0x41, 0, 0]) + struct.pack("<H", 20) + bytes([2, 253, 4, 0x86, 5, 4, 0x86])
           + bytes([0x01]) + struct.pack("<II", start, 0)
           + bytes([0x42, 0, 0]) + struct.pack("<H", 20) + bytes([1, 5, 4, 0x86])
           + b"".join(bytes([0x80 | (2 << 5) | (offset & 0x1F)]) + struct.pack("<I", metres)
                      for offset, metres in [(start + 1, 400), (start + 33, 1200), (start + 40, 2000)]))
write("fit", fit_file(file_id + records))
session = (bytes([0x63, 0, 1]) + struct.pack(">H", 18) + bytes([5, 253, 4, 0x86, 2, 4, 0x86, 5, 1, 0, 8, 4, 0x86, 9, 4, 0x86])
           + bytes([1, 0, 4, 0]) + bytes([0x03]) + struct.pack(">IIBII", start + 1500, start, 1, 1500000, 500000) + b"\xAA" * 4)
write("fit", fit_file(file_id + session))
write("csv", "date,distance,unit,shoe\n2024-06-01,5,km,Pegasus\n")
