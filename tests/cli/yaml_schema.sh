#!/usr/bin/env bash
# schemas/profile.schema.json is strict JSON (no duplicate keys), a valid JSON Schema
# 2020-12, accepts every YAML profile in tests/yaml/, and rejects the schema-level
# mistakes in tests/errors/*.yaml that it can see. YAML is read as YAML 1.2 editors read
# it (only true/false are booleans), so `on:` stays a key.
set -euo pipefail
cd "${NONO_REPO:-$(dirname "$0")/../..}"
python3 - <<'PY'
import glob, json, sys
try:
    import jsonschema, yaml
except ImportError as e:
    sys.exit(f"yaml_schema: {e}; run scripts/setup (python3-jsonschema, python3-yaml)")

def no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    dup = {k for k in keys if keys.count(k) > 1}
    if dup:
        raise ValueError(f"duplicate keys {sorted(dup)}")
    return dict(pairs)

with open("schemas/profile.schema.json") as f:
    schema = json.load(f, object_pairs_hook=no_duplicates)
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)

class Yaml12Loader(yaml.SafeLoader):
    pass
Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
import re
Yaml12Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))

def load(path):
    with open(path) as f:
        return yaml.load(f, Loader=Yaml12Loader)

failed = 0
valid = sorted(glob.glob("tests/yaml/*.yaml"))
if len(valid) < 3:
    sys.exit("yaml_schema: expected the YAML profiles in tests/yaml/")
for path in valid:
    errors = list(validator.iter_errors(load(path)))
    for e in errors:
        print(f"{path}: the schema rejects a valid profile: {e.message} at {list(e.absolute_path)}")
    failed += bool(errors)
# Error files whose first line says `# schema: rejects` must fail validation.
rejected = 0
for path in sorted(glob.glob("tests/errors/*.yaml")):
    with open(path) as f:
        if not f.readline().startswith("# schema: rejects"):
            continue
    rejected += 1
    try:
        doc = load(path)
    except yaml.YAMLError:
        continue
    if validator.is_valid(doc):
        print(f"{path}: the schema accepts a profile nonoc rejects")
        failed += 1
print(f"yaml_schema: {len(valid)} valid profiles, {rejected} schema-level errors checked")
sys.exit(1 if failed else 0)
PY
