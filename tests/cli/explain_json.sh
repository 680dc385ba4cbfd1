#!/usr/bin/env bash
# `nonoc explain --json` and the Landlock artifact are valid JSON for any path the language
# allows (any byte but NUL): bytes that are not UTF-8 come back through Python's
# surrogateescape, and control characters are escaped.
set -uo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A Latin-1 name, a lone continuation byte, an encoded surrogate, an overlong '/', a tab
# and a quote: none is UTF-8 that JSON may carry as it is.
printf 'profile odd {\n  allow read "/srv/caf\xe9" "/srv/\x80x" "/srv/\xed\xa0\x80" "/srv/\xc0\xaf" "/srv/a\tb" "/srv/q\\"q"\n}\n' >"$work/odd.nono"
"$NONOC" explain --json "$work/odd.nono" >"$work/explain.json" || { echo "FAIL: nonoc explain --json"; exit 1; }
"$NONOC" compile "$work/odd.nono" --target landlock -o "$work/out" >/dev/null || { echo "FAIL: nonoc compile --target landlock"; exit 1; }
python3 - "$work/explain.json" "$work/out/odd.landlock.json" <<'PY' || exit 1
import json, sys
want = {b"/srv/caf\xe9", b"/srv/\x80x", b"/srv/\xed\xa0\x80", b"/srv/\xc0\xaf", b"/srv/a\tb", b'/srv/q"q'}
for name in sys.argv[1:]:
    with open(name, "rb") as f:
        doc = json.loads(f.read().decode("utf-8"))  # strict: the file itself must be UTF-8
    found = set()
    def walk(v):
        if isinstance(v, dict):
            for x in v.values(): walk(x)
        elif isinstance(v, list):
            for x in v: walk(x)
        elif isinstance(v, str) and v.startswith("/srv/"):
            found.add(v.encode("utf-8", "surrogateescape"))
    walk(doc)
    if not want <= found:
        print(f"FAIL: {name}: paths lost or changed: {sorted(want - found)}")
        sys.exit(1)
print("explain json: ok")
PY
