"""Validates JSON files against a draft 2020-12 JSON Schema, for check.sh.

    /usr/bin/python3 validate.py SCHEMA FILE...

Uses Debian's python3-jsonschema (4.10 in bookworm; draft 2020-12 since 4.0).
Prints one line a file: "valid<TAB>FILE" or "invalid<TAB>FILE<TAB>why"; exits 2
if the schema itself is not valid.
"""
import json
import sys

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError, best_match


def escape(part):
    """One JSON pointer segment (RFC 6901)."""
    return str(part).replace("~", "~0").replace("/", "~1")


def main():
    schema_file, files = sys.argv[1], sys.argv[2:]
    with open(schema_file, encoding="utf-8") as stream:
        schema = json.load(stream)
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as error:
        print(f"schema-invalid\t{schema_file}\t{error.message}")
        return 2
    validator = Draft202012Validator(schema)
    for file in files:
        try:
            with open(file, encoding="utf-8") as stream:
                document = json.load(stream)
        except ValueError as error:
            print(f"invalid\t{file}\tnot JSON: {error}")
            continue
        error = best_match(validator.iter_errors(document))
        if error is None:
            print(f"valid\t{file}")
        else:
            pointer = "".join(f"/{escape(part)}" for part in error.absolute_path) or "/"
            print(f"invalid\t{file}\t{pointer}: {error.message}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
