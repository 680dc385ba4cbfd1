#!/usr/bin/env bash
# .github/workflows/ci.yml: valid against GitHub's workflow schema (action-validator, from
# npm, which scripts/setup installs into a cache directory; it works offline after that), its Linux job
# runs exactly .ci/run, and the script its macOS job runs is valid shell.
set -uo pipefail
SUITE=workflow
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../support/suite.sh"
cd "${NONO_REPO:-$here/../..}"
workflow=.github/workflows/ci.yml
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

tools=${NONO_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/nono-tools}
validator=$tools/node_modules/.bin/action-validator
[[ -x $validator ]] || cannot_run "action-validator is not in $tools: run scripts/setup"
if ! "$validator" "$workflow"; then fail "$workflow does not validate against the workflow schema"; fi

# The validator refuses what the schema does not allow: a job without runs-on.
broken=$(mktemp)
trap 'rm -f "$broken"' EXIT
sed 's/^    runs-on: macos-14$//' "$workflow" >"$broken"
cmp -s "$workflow" "$broken" && fail "the macOS job's runs-on line was not found"
"$validator" "$broken" >/dev/null 2>&1 && fail "action-validator accepts a job without runs-on: it checks nothing"

# The Linux job: checkout, then .ci/run and nothing else.
python3 - "$workflow" <<'PY' || failures=$((failures + 1))
import sys, yaml
jobs = yaml.safe_load(open(sys.argv[1]))["jobs"]
runs = [s["run"] for s in jobs["linux"]["steps"] if "run" in s]
if runs != [".ci/run"]:
    sys.exit(f"FAIL: the linux job runs {runs}, not exactly .ci/run")
macos = [s["run"] for s in jobs["macos"]["steps"] if "run" in s]
if not any("tests/macos/end_to_end.sh" in r for r in macos):
    sys.exit("FAIL: the macos job does not run tests/macos/end_to_end.sh")
PY
bash -n tests/macos/end_to_end.sh || fail "tests/macos/end_to_end.sh is not valid shell"

if ((failures)); then echo "$SUITE: $failures failure(s)"; exit 1; fi
echo "$SUITE: ok"
