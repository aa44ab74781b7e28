#!/usr/bin/python3
"""Validate vetter's JSON outputs against packet.schema.json.

Usage: schema_check.py SCHEMA DEF:FILE...

Each FILE is validated against `#/$defs/DEF` of SCHEMA (JSON Schema 2020-12),
e.g. `schema_check.py docs/packet.schema.json packet:p/packet.json
flags:flags.json`. Every error
is printed with the JSON path of the value at fault. Exit status: 0 when
every file passes, 1 when any fails, 2 on a usage error or a file that
cannot be read.

Needs the `jsonschema` package (Debian: python3-jsonschema). Formats are not
checked; the schema uses patterns for dates.
"""

import json
import sys

try:
    from jsonschema import Draft202012Validator
except ImportError:  # pragma: no cover
    sys.exit("schema_check.py: the jsonschema package is missing "
             "(apt-get install python3-jsonschema, or pip install jsonschema)")


def json_path(path):
    """`$.summary.sections[3].coverage`: the path of a value, as a reader writes it."""
    out = "$"
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.isidentifier():
            out += f".{part}"
        else:
            out += "[" + json.dumps(part) + "]"
    return out


def load(path, what):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        sys.exit(f"schema_check.py: cannot read {what} {path}: {e}")


def main(argv):
    if len(argv) < 3 or argv[1] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    schema_path = argv[1]
    schema = load(schema_path, "schema")
    Draft202012Validator.check_schema(schema)
    validators = {}
    failed = 0
    for pair in argv[2:]:
        name, sep, path = pair.partition(":")
        if not sep or not path:
            print(f"schema_check.py: {pair!r} is not DEF:FILE, e.g. packet:p/packet.json",
                  file=sys.stderr)
            return 2
        if name not in schema.get("$defs", {}):
            print(f"schema_check.py: {schema_path} has no $defs/{name}; it has: "
                  + ", ".join(sorted(schema.get("$defs", {}))), file=sys.stderr)
            return 2
        if name not in validators:
            # Validate against the definition by reference, so that its own
            # $refs resolve inside the whole schema.
            wrapper = dict(schema)
            wrapper["$ref"] = f"#/$defs/{name}"
            validators[name] = Draft202012Validator(wrapper)
        validator = validators[name]
        document = load(path, "file")
        errors = sorted(validator.iter_errors(document), key=lambda e: (list(e.absolute_path), e.message))
        if not errors:
            print(f"ok    {path} ({name})")
            continue
        failed += 1
        print(f"FAIL  {path} ({name}): {len(errors)} error{'s' if len(errors) != 1 else ''}")
        for e in errors:
            print(f"  {json_path(e.absolute_path)}: {e.message}")
            # For anyOf/oneOf the reasons are in the context; show the closest.
            for sub in sorted(e.context or [], key=lambda s: len(list(s.absolute_path)), reverse=True)[:3]:
                print(f"      - {json_path(sub.absolute_path)}: {sub.message}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
