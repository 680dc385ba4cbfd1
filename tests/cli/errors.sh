#!/usr/bin/env bash
# Error golden files: for each tests/errors/NAME.nono (or .yaml), `nonoc check` must exit 1
# and print exactly tests/errors/NAME.err on stderr (NO_COLOR, paths relative to the repo).
#   UPDATE=1 tests/cli/errors.sh   rewrites the .err files: review every change by eye.
set -uo pipefail
cd "${NONO_REPO:-$(dirname "$0")/../..}"
NONOC=${NONOC:-build/nonoc}
export NO_COLOR=1

actual=$(mktemp)
trap 'rm -f "$actual"' EXIT
failed=0
count=0
shopt -s nullglob
for input in tests/errors/*.nono tests/errors/*.yaml; do
    expected=${input%.*}.err
    count=$((count + 1))
    "$NONOC" check "$input" 2>"$actual" >/dev/null
    status=$?
    if [[ ${UPDATE:-} == 1 ]]; then
        cp "$actual" "$expected"
    fi
    if [[ $status -ne 1 ]]; then
        echo "FAIL $input: exit status $status, expected 1"
        failed=$((failed + 1))
    elif [[ ! -f $expected ]]; then
        echo "FAIL $input: no $expected (run with UPDATE=1, then review it)"
        failed=$((failed + 1))
    elif ! diff -u --text "$expected" "$actual"; then
        echo "FAIL $input: stderr differs from $expected"
        failed=$((failed + 1))
    fi
done
for expected in tests/errors/*.err; do
    base=${expected%.err}
    if [[ ! -f $base.nono && ! -f $base.yaml ]]; then
        echo "FAIL $expected: no input file beside it"
        failed=$((failed + 1))
    fi
done
if [[ $count -eq 0 ]]; then
    echo "FAIL: no error files found in tests/errors"
    exit 1
fi
echo "$((count - failed))/$count error files match"
[[ $failed -eq 0 ]]
