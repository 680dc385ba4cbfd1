#!/usr/bin/env bash
# Golden `nonoc explain` output for every profile in the repository: profiles/NAME.nono →
# tests/golden/profiles/NAME.explain (and NAME.macos.explain), tests/golden/NAME.nono →
# tests/golden/NAME.explain. Every variable is bound and the environment emptied, so the
# output is the same on every machine. A missing golden file fails.
#   UPDATE=1 tests/cli/explain_golden.sh   rewrites them: review every change by eye.
set -uo pipefail
cd "${NONO_REPO:-$(dirname "$0")/../..}"
NONOC=${NONOC:-build/nonoc}
NONOC=$(realpath "$NONOC")

bindings=(--bind HOME=/home/user --bind CWD=/work/project --bind USER=user --bind UID=1000
          --bind TMPDIR=/tmp --bind XDG_CONFIG_HOME=/home/user/.config --bind XDG_CACHE_HOME=/home/user/.cache
          --bind XDG_DATA_HOME=/home/user/.local/share --bind XDG_STATE_HOME=/home/user/.local/state
          --bind XDG_RUNTIME_DIR=/run/user/1000 --bind env:HOME=/home/user)
actual=$(mktemp)
trap 'rm -f "$actual"' EXIT
failed=0
count=0

# golden INPUT EXPECTED [FLAGS…]
golden() {
    local input=$1 expected=$2
    shift 2
    count=$((count + 1))
    env -i NO_COLOR=1 "$NONOC" explain "$input" "${bindings[@]}" "$@" >"$actual" 2>&1
    local status=$?
    if [[ ${UPDATE:-} == 1 ]]; then
        mkdir -p "$(dirname "$expected")"
        cp "$actual" "$expected"
    fi
    if [[ $status -ne 0 ]]; then
        echo "FAIL $input: exit status $status"
        sed 's/^/  /' "$actual"
        failed=$((failed + 1))
    elif [[ ! -f $expected ]]; then
        echo "FAIL $input: no $expected (run with UPDATE=1, then review it)"
        failed=$((failed + 1))
    elif ! diff -u --text "$expected" "$actual"; then
        echo "FAIL $input: output differs from $expected"
        failed=$((failed + 1))
    fi
}

shopt -s nullglob
for input in profiles/*.nono tests/golden/*.nono; do
    grep -q '^profile ' "$input" || continue  # the standard groups file holds no profile
    name=$(basename "$input" .nono)
    if [[ $input == profiles/* ]]; then
        golden "$input" "tests/golden/profiles/$name.explain"
        golden "$input" "tests/golden/profiles/$name.macos.explain" --platform macos
    else
        golden "$input" "tests/golden/$name.explain"
    fi
done
if [[ $count -eq 0 ]]; then
    echo "FAIL: no profiles found"
    exit 1
fi
echo "$((count - failed))/$count explain goldens match"
[[ $failed -eq 0 ]]
