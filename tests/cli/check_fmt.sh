#!/usr/bin/env bash
# `nonoc check` and `nonoc fmt` from the outside: exit codes, output streams, files.
set -uo pipefail
cd "${NONO_REPO:-$(dirname "$0")/../..}"
NONOC=${NONOC:-build/nonoc}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

failed=0
# expect STATUS DESCRIPTION -- COMMAND…: runs the command, keeps its output in $out/$err.
expect() {
    local want=$1 what=$2
    shift 3
    "$@" >"$work/out" 2>"$work/err"
    local got=$?
    if [[ $got -ne $want ]]; then
        echo "FAIL $what: exit status $got, expected $want"
        sed 's/^/  stderr: /' "$work/err"
        failed=$((failed + 1))
    fi
}
# require DESCRIPTION CONDITION…
require() {
    local what=$1
    shift
    if ! "$@"; then
        echo "FAIL $what"
        failed=$((failed + 1))
    fi
}
empty() { [[ ! -s $1 ]]; }

valid=tests/golden/python-agent.nono
invalid=tests/errors/bad_port.nono

expect 0 "check of a valid profile" -- "$NONOC" check "$valid"
require "check prints nothing on success" empty "$work/out"
require "check prints nothing on stderr on success" empty "$work/err"

expect 0 "check -v" -- "$NONOC" check -v "$valid" tests/golden/macos-app.nono
require "check -v names each valid file" diff -u <(printf '%s: ok\n' "$valid" tests/golden/macos-app.nono) "$work/out"

expect 1 "check of an invalid profile" -- "$NONOC" check "$valid" "$invalid"
require "check reports on stderr only" empty "$work/out"
require "check names file:line:col" grep -q "^$invalid:3:21: error: " "$work/err"

expect 2 "check without a file" -- "$NONOC" check
expect 2 "check with an unknown option" -- "$NONOC" check --frobnicate "$valid"
expect 2 "nonoc without a command" -- "$NONOC"
expect 0 "check --help" -- "$NONOC" check --help
require "check --help explains the exit status" grep -q "Exit status" "$work/out"

mkdir "$work/dir.nono"
expect 1 "check of a directory" -- "$NONOC" check "$work/dir.nono"
require "a directory is named as such" grep -q "dir.nono: error: cannot read: Is a directory" "$work/err"
expect 1 "check of a missing file" -- "$NONOC" check "$work/missing.nono"
require "a missing file says why" grep -q "cannot open: No such file or directory" "$work/err"

if command -v script >/dev/null; then
    # On a terminal the diagnostics are coloured, unless NO_COLOR is set.
    script -qec "$NONOC check $invalid" /dev/null >"$work/tty" 2>&1
    require "colour on a terminal" grep -q $'\033\[' "$work/tty"
    NO_COLOR=1 script -qec "$NONOC check $invalid" /dev/null >"$work/tty" 2>&1
    require "no colour with NO_COLOR" bash -c "! grep -q $'\033\[' '$work/tty'"
fi

# fmt
printf 'profile p {\n\tallow write,read   /x # c\n}\n' >"$work/messy.nono"
printf 'profile p {\n  allow read,write /x  # c\n}\n' >"$work/expected.nono"
cp "$work/messy.nono" "$work/keep.nono"
expect 0 "fmt to stdout" -- "$NONOC" fmt "$work/messy.nono"
require "fmt prints the canonical layout" diff -u "$work/expected.nono" "$work/out"
require "fmt to stdout leaves the file alone" cmp -s "$work/messy.nono" "$work/keep.nono"

expect 1 "fmt --check of a file that would change" -- "$NONOC" fmt --check "$work/messy.nono"
require "fmt --check lists the file" grep -qx "$work/messy.nono" "$work/out"
expect 0 "fmt --check of a canonical file" -- "$NONOC" fmt --check "$work/expected.nono"
require "fmt --check prints nothing when formatted" empty "$work/out"

chmod 640 "$work/messy.nono"
expect 0 "fmt -i" -- "$NONOC" fmt -i "$work/messy.nono"
require "fmt -i rewrites the file" cmp -s "$work/messy.nono" "$work/expected.nono"
require "fmt -i keeps the file mode" test "$(stat -c %a "$work/messy.nono")" = 640
require "fmt -i leaves no temporary file" test "$(ls "$work" | grep -c tmp)" = 0
expect 2 "fmt -i with --check" -- "$NONOC" fmt -i --check "$work/messy.nono"

cp "$invalid" "$work/invalid.nono"
expect 1 "fmt -i of an invalid profile" -- "$NONOC" fmt -i "$work/invalid.nono"
require "an invalid profile is not rewritten" cmp -s "$invalid" "$work/invalid.nono"
require "fmt reports why" grep -q "error: port \`70000\` is out of range" "$work/err"

printf 'profile: x\n' >"$work/p.yaml"
expect 1 "fmt of a YAML profile" -- "$NONOC" fmt "$work/p.yaml"

if [[ $failed -ne 0 ]]; then
    echo "$failed check(s) failed"
    exit 1
fi
echo "check/fmt command-line tests passed"
