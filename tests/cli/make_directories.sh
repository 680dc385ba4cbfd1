#!/usr/bin/env bash
# A write grant with a trailing `/` on a missing directory (DESIGN.md, "Paths mean files"):
# nono makes it (mode 0700) before the sandbox applies, so the command can write there on a
# fresh HOME; only below the user's own places, never through a symlink, never in another
# user's tree. What is not made, and the other write grants on missing paths, are said at
# start (nothing with -q); --dry-run lists what would be made and those grants. Each check first shows the unsandboxed state the sandbox changes.
# Run by ctest with $NONO and $NONO_REPO set.
set -uo pipefail
: "${NONO:?}" "${NONO_REPO:?}"
SUITE=make_directories
source "$NONO_REPO/tests/support/suite.sh"
source "$NONO_REPO/tests/support/expect.sh"

root=$(mktemp -d /tmp/nono-make-dirs.XXXXXX)
trap 'rm -rf "$root"' EXIT
work=$root
marker=$root/ran
failures=0
export HOME=$root/home TMPDIR=$root/tmp
mkdir -p "$HOME/work" "$TMPDIR"
unset XDG_CONFIG_HOME XDG_DATA_HOME XDG_STATE_HOME XDG_CACHE_HOME
cd "$HOME/work"
"$NONO" exec --profile "$NONO_REPO/profiles/strict.nono" -- true >/dev/null 2>&1 || cannot_run "nono cannot sandbox anything on this machine"

cat >"$root/p.nono" <<EOF
profile p extends base {
  allow read,write ~/state/ ~/deep/er/state/ ~/file.json ~/linked/state/ $root/outside/
  allow read,exec /usr /bin /lib /lib64
}
EOF

# A fresh HOME: the directories are missing, and nothing could make them in the sandbox.
[[ ! -e $HOME/state && ! -e $HOME/deep ]] || { echo "FAIL: the HOME is not fresh"; failures=$((failures + 1)); }
expect 1 "without a grant, the sandbox cannot make ~/state" -- \
    "$NONO" exec -q --profile "$NONO_REPO/profiles/base.nono" -- /bin/mkdir "$HOME/state"

expect 0 "the command writes in the directories nono made" -- \
    "$NONO" exec --profile "$root/p.nono" -- /bin/sh -c "echo x >'$HOME/state/f' && echo y >'$HOME/deep/er/state/f'"
for d in "$HOME/state" "$HOME/deep" "$HOME/deep/er" "$HOME/deep/er/state"; do
    mode=$(stat -c %a "$d" 2>/dev/null)
    [[ $mode == 700 ]] || { echo "FAIL: $d: mode '$mode', expected 700"; failures=$((failures + 1)); }
done
output_has "a directory outside the user's places is said" "not made: $root/outside: not below your home"
[[ ! -e $root/outside ]] || { echo "FAIL: $root/outside was made"; failures=$((failures + 1)); }
[[ ! -e $HOME/file.json ]] || { echo "FAIL: ~/file.json was made"; failures=$((failures + 1)); }
output_has "a write grant on a missing path is said at start, in one line" \
    "nono: missing at start, so not writable in this run: ~/file.json (-q hides this)"
touch "$root/control.json" || { echo "FAIL: cannot make a file without nono"; failures=$((failures + 1)); }
expect 1 "and the kernel refuses making it, as said" -- "$NONO" exec -q --profile "$root/p.nono" -- /usr/bin/touch "$HOME/file.json"

# A missing path below a directory whose grant gives the same write rights loses none of
# them (exec, which it adds, is not a write): it is not said, and the command makes and
# writes it.
cat >"$root/r.nono" <<EOF
profile r extends base {
  allow read,write ~/caches/
  allow read,write,exec ~/caches/tool
  allow read,exec /usr /bin /lib /lib64
}
EOF
expect 0 "a missing grant below a writable directory" -- \
    "$NONO" exec --profile "$root/r.nono" -- /bin/sh -c "mkdir '$HOME/caches/tool' && echo x >'$HOME/caches/tool/f'"
if grep -q "missing at start" "$work/out"; then
    echo "FAIL: a grant its directory already gives was said missing:"; sed 's/^/  | /' "$work/out"; failures=$((failures + 1))
fi

expect 0 "-q says nothing of them" -- "$NONO" exec -q --profile "$root/p.nono" -- /bin/true
if [[ -s $work/out ]]; then echo "FAIL: -q printed:"; sed 's/^/  | /' "$work/out"; failures=$((failures + 1)); fi

# A symlink on the way is not followed: it could send the new directory anywhere.
mkdir -p "$root/elsewhere"
rm -rf "$HOME/linked"  # made by the runs above
ln -s "$root/elsewhere" "$HOME/linked"
expect 0 "a run with a symlink on the way" -- "$NONO" exec --profile "$root/p.nono" -- /bin/true
output_has "the symlink is named" "not made: $HOME/linked/state: $HOME/linked is a symlink, not followed"
[[ ! -e $root/elsewhere/state ]] || { echo "FAIL: made through the symlink"; failures=$((failures + 1)); }

# Never in another user's tree: the working directory belongs to nobody here.
nobody_uid=$(id -u nobody 2>/dev/null)
if [[ $(id -u) -eq 0 && -n $nobody_uid ]]; then
    other=$root/other
    mkdir -p "$other"
    chown nobody "$other"
    cat >"$root/q.nono" <<EOF
profile q extends base {
  allow read,write \${CWD}/state/
}
EOF
    cd "$other"
    expect 0 "root in nobody's directory" -- "$NONO" exec --profile "$root/q.nono" -- /bin/true
    cd "$HOME/work"
    output_has "the owner is named" "belongs to uid $nobody_uid, not to this user"
    [[ ! -e $other/state ]] || { echo "FAIL: root made a directory in nobody's tree"; failures=$((failures + 1)); }
else
    not_checked "another user's tree (needs root and a nobody user)"
fi

# A carve-out costs its directory create rights, and the start says so: the kernel refuses a
# new file at HOME's top level, where the profile grants write, while one below works.
cat >"$root/c.nono" <<EOF
profile c extends base {
  allow read,write ~
  allow read,exec /usr /bin /lib /lib64
}
EOF
touch "$HOME/top-control" || { echo "FAIL: no new file at HOME's top without nono"; failures=$((failures + 1)); }
expect 0 "a workspace at HOME" -- "$NONO" exec --profile "$root/c.nono" -- /bin/sh -c \
    "touch '$HOME/work/below' && ! touch '$HOME/top' 2>/dev/null"
output_has "the carve-out cost is said" "nono: $HOME: no new entries at its top level (a carve-out: $HOME/"
[[ -e $HOME/work/below && ! -e $HOME/top ]] || { echo "FAIL: create below HOME or at its top"; failures=$((failures + 1)); }

# `nonoc why` answers as the kernel does for a real child: a new file at HOME's top is
# refused, one below is not; a missing directory of a plain write grant grants nothing, a
# marked one is made.
if [[ -n ${NONOC:-} ]]; then
    rm -f "$HOME/top" "$HOME/work/below"
    # why_agrees PROFILE PATH: `nonoc why` and a sandboxed `touch PATH` give the same answer.
    why_agrees() {
        local why=0 real=0
        "$NONOC" why "$1" --path "$2" --access write >"$work/why" 2>&1 || why=$?
        "$NONO" exec -q --profile "$1" -- /usr/bin/touch "$2" >/dev/null 2>&1 || real=$?
        if [[ $why -ne 0 && $real -eq 0 || $why -eq 0 && $real -ne 0 ]]; then
            echo "FAIL: nonoc why (exit $why) and the kernel (touch: exit $real) disagree on $2"
            sed 's/^/  | /' "$work/why"
            failures=$((failures + 1))
        fi
    }
    why_agrees "$root/c.nono" "$HOME/top"
    why_agrees "$root/c.nono" "$HOME/work/below"
    grep -q "no new entries at its top level" <<<"$("$NONOC" why "$root/c.nono" --path "$HOME/top" --access write)" ||
        { echo "FAIL: nonoc why does not name the carve-out's cost"; failures=$((failures + 1)); }
    rm -rf "$HOME/state" "$HOME/file.json"
    grep -q "nono makes it (mode 0700) at start" <<<"$("$NONOC" why "$root/p.nono" --path "$HOME/state" --access write)" ||
        { echo "FAIL: nonoc why does not say ~/state is made"; failures=$((failures + 1)); }
    why_agrees "$root/p.nono" "$HOME/file.json"
    rm -rf "$HOME/caches/tool"
    why_agrees "$root/r.nono" "$HOME/caches/tool"
    why_agrees "$root/p.nono" "$HOME/state/f"
else
    not_checked "nonoc why against the kernel (NONOC not set)"
fi

# --dry-run makes nothing.
rm -rf "$HOME/state"
expect 0 "--dry-run" -- "$NONO" exec --dry-run --profile "$root/p.nono" -- /bin/true
[[ ! -e $HOME/state ]] || { echo "FAIL: --dry-run made ~/state"; failures=$((failures + 1)); }
output_has "--dry-run names what it would make" "made when missing (mode 0700): $HOME/state"
output_has "--dry-run names a missing write grant" "not granted: $HOME/file.json does not exist: not writable in this run"

if ((failures)); then
    echo "$SUITE: $failures failure(s)"
    exit 1
fi
echo "$SUITE: ok"
