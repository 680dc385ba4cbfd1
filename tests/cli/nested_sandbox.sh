#!/usr/bin/env bash
# Agents with a sandbox of their own (cli/nono/nested_sandbox.hpp): bubblewrap, which codex
# and claude's sandbox mode run commands in, starts without nono and cannot start under it;
# so nono says at start what turns the agent's own sandbox off (nothing with -q, nothing
# when it is off already). The agents are stand-in scripts named like them.
# Run by ctest with $NONO and $NONO_REPO set.
set -uo pipefail
: "${NONO:?}" "${NONO_REPO:?}"
SUITE=nested_sandbox
source "$NONO_REPO/tests/support/suite.sh"
source "$NONO_REPO/tests/support/expect.sh"

root=$(mktemp -d /tmp/nono-nested.XXXXXX)
trap 'rm -rf "$root"' EXIT
work=$root
marker=$root/home/work/ran
failures=0
export HOME=$root/home TMPDIR=$root/tmp
mkdir -p "$HOME/work" "$TMPDIR" "$root/bin"
unset CODEX_HOME CLAUDE_CONFIG_DIR GEMINI_SANDBOX
cd "$HOME/work"
"$NONO" run -q -- /bin/true >/dev/null 2>&1 || cannot_run "nono cannot sandbox anything on this machine"

if command -v bwrap >/dev/null && bwrap --ro-bind / / /bin/true 2>/dev/null; then
    expect 1 "bubblewrap cannot start under nono" -- "$NONO" run -q -- bwrap --ro-bind / / /bin/true
    if [[ -s $work/out ]]; then :; else echo "FAIL: bubblewrap said nothing"; failures=$((failures + 1)); fi
else
    not_checked "bubblewrap starting without nono (bwrap missing, or no user namespaces here)"
fi

for agent in codex claude gemini; do
    printf '#!/bin/sh\ntouch "%s"\n' "$marker" >"$root/bin/$agent"
    chmod +x "$root/bin/$agent"
done
# hint EXPECTED DESCRIPTION -- AGENT ARGS…: runs the stand-in under nono; EXPECTED is 1 when
# the hint must be said, 0 when not.
hint() {
    local want=$1 what=$2
    shift 3
    expect 0 "$what" -- "$NONO" run --allow-cwd --exec "$root/bin" -- "$root/bin/$@"
    if ((want)) && ! grep -q "nono is its sandbox" "$work/out"; then
        echo "FAIL: $what: no hint"; sed 's/^/  | /' "$work/out"; failures=$((failures + 1))
    elif ((!want)) && grep -q "nono is its sandbox" "$work/out"; then
        echo "FAIL: $what: a hint where none is due"; sed 's/^/  | /' "$work/out"; failures=$((failures + 1))
    fi
    [[ -e $marker ]] || { echo "FAIL: $what: the agent did not run"; failures=$((failures + 1)); }
    rm -f "$marker"
}
hint 1 "codex exec" -- codex exec "hello"
output_has "codex's hint names the flag" "pass --sandbox danger-full-access"
hint 1 "codex -s workspace-write" -- codex exec -s workspace-write "hello"
hint 0 "codex -s danger-full-access" -- codex exec -s danger-full-access "hello"
hint 0 "codex -c sandbox_mode" -- codex -c 'sandbox_mode="danger-full-access"' exec "hello"
hint 0 "codex --version" -- codex --version
mkdir -p "$HOME/.codex"
echo 'sandbox_mode = "danger-full-access"' >"$HOME/.codex/config.toml"
hint 0 "codex with sandbox_mode in config.toml" -- codex exec "hello"
hint 1 "codex -s read-only overrides config.toml" -- codex exec -s read-only "hello"

hint 0 "claude without sandbox mode" -- claude -p "hello"
mkdir -p "$HOME/.claude"
echo '{"sandbox": {"enabled": true}}' >"$HOME/.claude/settings.json"
hint 1 "claude with sandbox mode on" -- claude -p "hello"
output_has "claude's hint names its settings" "$HOME/.claude/settings.json"

hint 0 "gemini" -- gemini -p "hello"
hint 1 "gemini --sandbox" -- gemini --sandbox -p "hello"

expect 0 "-q says nothing" -- "$NONO" run -q --allow-cwd --exec "$root/bin" -- "$root/bin/codex" exec "hello"
if [[ -s $work/out ]]; then echo "FAIL: -q printed:"; sed 's/^/  | /' "$work/out"; failures=$((failures + 1)); fi

if ((failures)); then
    echo "$SUITE: $failures failure(s)"
    exit 1
fi
echo "$SUITE: ok"
