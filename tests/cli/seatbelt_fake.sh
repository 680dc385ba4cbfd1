#!/usr/bin/env bash
# nono on macOS, everything but the kernel's part: nono-seatbelt-fake is nono built with the
# Seatbelt target and runtime (cli/nono/target_seatbelt.cpp, runtime/seatbelt.cpp) against
# a fake libsandbox (tests/support/fake_libsandbox) that records the profile and parameters
# sandbox_init_with_parameters is given and fails on demand. Checked here:
# - for each built-in agent profile, the SBPL handed over, bound to the golden tests' Mac
#   user, is byte for byte its golden file (tests/golden/sbpl/profiles-NAME.sb), with no
#   parameters;
# - under the supervisor, the profile holds the run's private TMPDIR, and the command runs
#   after the sandbox is applied, with TMPDIR naming that directory;
# - a failing sandbox_init (a bad profile, a nested sandbox) means exit 125 and the command
#   never starts, with and without the supervisor;
# - --dry-run prints the SBPL and applies nothing; --plan is refused;
# - a write grant's missing directory stated with `/` is made first, never through a symlink.
set -uo pipefail
SUITE=seatbelt_fake
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../support/suite.sh"
source "$here/../support/expect.sh"
[[ -n ${NONO_SEATBELT_FAKE:-} && -x ${NONO_SEATBELT_FAKE:-} ]] || cannot_run "nono-seatbelt-fake is not built (NONO_SEATBELT_FAKE)"
NONO_SEATBELT_FAKE=$(realpath "$NONO_SEATBELT_FAKE")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
marker=$work/ran
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
record=$work/handed-over
export NONO_FAKE_SANDBOX_RECORD=$record
unset NONO_FAKE_SANDBOX_FAIL

# The golden files' Mac user (tests/unit/sbpl_golden_test.cpp), and the profiles as the
# golden test names them: relative to the repository, parents found in profiles/.
mac_user=(--bind HOME=/Users/nono --bind CWD=/Users/nono/project --bind TMPDIR=/private/var/folders/nn/T
          --bind USER=nono --bind UID=501 --bind env:HOME=/Users/nono
          --bind env:XDG_CACHE_HOME=/Users/nono/Library/Caches)
cd "$NONO_REPO"
export NONO_PROFILE_PATH=profiles
for name in claude-code codex gemini-cli opencode aider python-agent node-agent; do
    rm -f "$record" "$marker"
    # --no-supervisor: the supervisor's private directory would stand for TMPDIR.
    expect 0 "$name: runs under the fake" -- "$NONO_SEATBELT_FAKE" exec --no-supervisor --profile "profiles/$name.nono" \
        "${mac_user[@]}" -- /usr/bin/touch "$marker"
    [[ -e $marker ]] || fail "$name: the command did not run after the sandbox was applied"
    if ! cmp -s "$record" "tests/golden/sbpl/profiles-$name.sb"; then
        fail "$name: the SBPL handed to sandbox_init differs from tests/golden/sbpl/profiles-$name.sb"
        diff "tests/golden/sbpl/profiles-$name.sb" "$record" | head -20 | sed 's/^/  | /'
    fi
done
cd "$work"
unset NONO_PROFILE_PATH

# Under the supervisor: the run's private TMPDIR is in the profile handed over, and is the
# command's TMPDIR.
cat >"$work/t.nono" <<'PROFILE'
profile t extends base {
  allow read,write $CWD $TMPDIR
}
PROFILE
rm -f "$record"
expect 0 "supervised run" -- "$NONO_SEATBELT_FAKE" exec --profile "$work/t.nono" -- /bin/sh -c 'echo "$TMPDIR" > ran'
tmp=$(cat "$marker" 2>/dev/null)
[[ $tmp == */nono-* ]] || fail "the command's TMPDIR is not the run's private directory: '$tmp'"
grep -qF "(subpath \"$tmp\")" "$record" || fail "the profile handed over does not grant the private TMPDIR $tmp"
[[ -e $tmp ]] && fail "the private TMPDIR $tmp outlived the run"
grep -q '^-D ' "$record" && fail "parameters were handed over for a bound profile"
rm -f "$marker"

# A write grant stated with a trailing `/` on a missing directory of the user's: made (mode
# 0700) before the sandbox applies, as on Linux; one through a symlink is not.
mkdir -p "$work/home"
ln -s /tmp "$work/home/link"
cat >"$work/made.nono" <<'PROFILE'
profile made extends base {
  allow read,write $HOME/state/ $HOME/link/elsewhere/
}
PROFILE
HOME=$work/home expect 0 "a missing state directory" -- "$NONO_SEATBELT_FAKE" exec --profile "$work/made.nono" -- /bin/true
[[ $(stat -c %a "$work/home/state" 2>/dev/null) == 700 ]] || fail "the state directory was not made with mode 0700"
output_has "a directory through a symlink is not made, and said" "not made: .*link/elsewhere.*symlink"
[[ -e /tmp/elsewhere ]] && fail "a directory was made through a symlink: /tmp/elsewhere"

# A failing sandbox_init: exit 125, the reason, and the command never starts.
for supervisor in "" --no-supervisor; do
    NONO_FAKE_SANDBOX_FAIL="unbound variable: HOME" \
        expect 125 "refused profile $supervisor" -- "$NONO_SEATBELT_FAKE" exec $supervisor --profile "$work/t.nono" -- touch "$marker"
    output_has "refused profile $supervisor: names the reason" "nono: sandbox_init: unbound variable: HOME"
    never_ran "refused profile $supervisor"
    NONO_FAKE_SANDBOX_FAIL=EPERM \
        expect 125 "nested sandbox $supervisor" -- "$NONO_SEATBELT_FAKE" exec $supervisor --profile "$work/t.nono" -- touch "$marker"
    output_has "nested sandbox $supervisor: says why" "Seatbelt profiles cannot be nested"
    never_ran "nested sandbox $supervisor"
done

# --dry-run prints the SBPL and applies nothing; nono run goes the same way.
rm -f "$record"
expect 0 "dry run" -- "$NONO_SEATBELT_FAKE" exec --dry-run --profile "$work/t.nono" -- touch "$marker"
output_has "dry run: the SBPL" "^(deny default)"
output_has "dry run: the environment" "^; environment: not passed:"
[[ -e $record ]] && fail "dry run: sandbox_init was called"
never_ran "dry run"
expect 0 "nono run" -- "$NONO_SEATBELT_FAKE" run --allow-cwd -- touch "$marker"
grep -qF "(subpath \"$work\")" "$record" || fail "nono run: the profile handed over does not grant the working directory"
[[ -e $marker ]] || fail "nono run: the command did not run"
rm -f "$marker"

expect 125 "--plan" -- "$NONO_SEATBELT_FAKE" exec --plan "$work/t.sb" -- touch "$marker"
output_has "--plan: says why" "a compiled plan is for Linux"
never_ran "--plan"

if ((failures)); then echo "$SUITE: $failures failure(s)"; exit 1; fi
echo "$SUITE: ok"
