"""Validates JSON instances against the exported schemas with the reference implementation
(Python `jsonschema`, draft 2020-12) and prints one verdict line per instance:
    <instance file> valid|invalid
Usage: schema_crosscheck.py SCHEMA_DIR INSTANCE_DIR
Instance files are named <kind>--<anything>.json; the schema is SCHEMA_DIR/<kind>.schema.json."""
import json
import os
import sys

import jsonschema


def main() -> int:
    schema_dir, instance_dir = sys.argv[1], sys.argv[2]
    validators = {}
    for name in sorted(os.listdir(schema_dir)):
        kind = name.split(".")[0]
        with open(os.path.join(schema_dir, name), encoding="utf-8") as f:
            schema = json.load(f)
        jsonschema.Draft202012Validator.check_schema(schema)
        validators[kind] = jsonschema.Draft202012Validator(
            schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    for name in sorted(os.listdir(instance_dir)):
        kind = name.split("--")[0]
        with open(os.path.join(instance_dir, name), encoding="utf-8") as f:
            instance = json.load(f)
        errors = list(validators[kind].iter_errors(instance))
        print(f"{name} {'invalid' if errors else 'valid'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
