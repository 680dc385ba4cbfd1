#!/usr/bin/env bash
# nono on macOS, everything but the kernel's part: nono-seatbelt-fake is nono built with the
# Seatbelt target and runtime (cli/nono/target_seatbelt.cpp, runtime/seatbelt.cpp) against
# a fake libsandbox (tests/support/fake_libsandbox) that records the profile and parameters
# sandbox_init_with_parameters is given and fails on demand. Checked here:
# - for each built-in agent profile, the SBPL handed over, bound to the golden tests' Mac
#   user, is byte for byte its golden file (tests/golden/sbpl/profiles-NAME.sb), with no
#   parameters; for one that names hosts, which --no-supervisor refuses (the proxy is the
#   supervisor's), the SBPL its dry run prints;
# - under the supervisor, the profile holds the run's private TMPDIR, and the command runs
#   after the sandbox is applied, with TMPDIR naming that directory;
# - a profile that names hosts, under the supervisor: the SBPL handed over is nonoc's, with
#   the proxy's real port as NONO_PROXY_PORT; the command's proxy variables name that port
#   with the run's token; the proxy (on the poll loop nono runs on macOS) answers: an allowed
#   name reached, another refused and listed by -v;
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
    if grep -q '^ *allow connect tcp [a-z*]' "profiles/$name.nono"; then
        expect 125 "$name: names hosts: --no-supervisor is refused" -- "$NONO_SEATBELT_FAKE" exec --no-supervisor \
            --profile "profiles/$name.nono" "${mac_user[@]}" -- /usr/bin/touch "$marker"
        output_has "$name: says why" "names hosts, which only the supervisor's proxy reaches"
        never_ran "$name with --no-supervisor"
        expect 0 "$name: dry run" -- "$NONO_SEATBELT_FAKE" exec --no-supervisor --dry-run --profile "profiles/$name.nono" \
            "${mac_user[@]}" -- /usr/bin/touch "$marker"
        output_has "$name: the dry run names the parameter" "^; parameter: NONO_PROXY_PORT="
        sed '/^; parameter: /,$d' "$work/out" >"$record"
    else
        expect 0 "$name: runs under the fake" -- "$NONO_SEATBELT_FAKE" exec --no-supervisor --profile "profiles/$name.nono" \
            "${mac_user[@]}" -- /usr/bin/touch "$marker"
        [[ -e $marker ]] || fail "$name: the command did not run after the sandbox was applied"
    fi
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

# A profile that names hosts, under the supervisor: the proxy runs in nono (the poll loop, as
# on macOS), its port goes to sandbox_init as NONO_PROXY_PORT, and the command finds it in
# the proxy variables. The fake applies nothing, so the command reaches the proxy as any
# program would; what Seatbelt lets through to it is the SBPL's (checked above and in the
# unit tests).
python3 "$NONO_REPO/tests/cli/network_peers.py" serve-http "$work" "$work/http.port" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for ((i = 0; i < 100; i++)); do [[ -s $work/http.port ]] && break; sleep 0.05; done
port=$(cat "$work/http.port")
cat >"$work/hosts.nono" <<PROFILE
profile hosts extends base {
  allow read,write \$CWD
  allow connect tcp allowed.test:$port
}
PROFILE
rm -f "$record"
expect 0 "a profile with hosts, supervised" -- "$NONO_SEATBELT_FAKE" exec -v --profile "$work/hosts.nono" \
    --resolve allowed.test=127.0.0.1 --resolve other.test=127.0.0.1 -- /bin/sh -c \
    "env > env.txt; curl -sf http://allowed.test:$port/; curl -sf http://other.test:$port/; echo other: \$?"
output_has "the proxy reaches the allowed name" "^hello"
output_has "the proxy refuses another name" "^other: 22"
output_has "-v lists the refusal" "nono: the proxy refused: other.test:$port: not allowed by the profile"
proxy_port=$(sed -n 's/^-D NONO_PROXY_PORT=//p' "$record")
[[ $proxy_port =~ ^[0-9]+$ ]] || fail "no NONO_PROXY_PORT was handed to sandbox_init: '$proxy_port'"
grep -q "^-D " <(grep -v '^-D NONO_PROXY_PORT=' "$record") && fail "parameters other than NONO_PROXY_PORT were handed over"
for name in HTTPS_PROXY HTTP_PROXY ALL_PROXY https_proxy http_proxy all_proxy; do
    grep -Eqx "$name=http://nono:[0-9a-f]{32}@127\.0\.0\.1:$proxy_port" "$work/env.txt" ||
        fail "the command's $name does not name the proxy on port $proxy_port: $(grep "^$name=" "$work/env.txt")"
done
grep -qx "NO_PROXY=" "$work/env.txt" || fail "NO_PROXY is not empty without allow loopback: $(grep '^NO_PROXY=' "$work/env.txt")"
# The SBPL handed over is what nonoc writes for the profile, for this user, this working
# directory and the run's TMPDIR; its one parameter is the proxy's port.
run_tmp=$(sed -n 's/^TMPDIR=//p' "$work/env.txt")
mkdir -p "$work/nonoc"
if ! "$NONOC" compile "$work/hosts.nono" --target sbpl --bind "TMPDIR=$run_tmp" -o "$work/nonoc" >"$work/nonoc.out" 2>&1; then
    fail "nonoc could not compile the hosts profile"; sed 's/^/  | /' "$work/nonoc.out"
fi
grep -q "pass -D NONO_PROXY_PORT=PORT" "$work/nonoc.out" || fail "nonoc does not say the profile needs NONO_PROXY_PORT"
if ! cmp -s <(grep -v '^-D ' "$record") "$work/nonoc/hosts.sb"; then
    fail "the SBPL handed over for a profile with hosts differs from nonoc's"
    diff "$work/nonoc/hosts.sb" <(grep -v '^-D ' "$record") | head -20 | sed 's/^/  | /'
fi
grep -qF '(allow network-outbound (remote tcp (string-append "localhost:" (param "NONO_PROXY_PORT"))))' "$record" ||
    fail "the SBPL handed over does not allow the proxy's port"
rm -f "$work/env.txt"

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
