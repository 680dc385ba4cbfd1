#!/usr/bin/env bash
# The four agent CLIs, for real, on a fresh HOME under their built-in profiles (issue 19):
# claude (@anthropic-ai/claude-code), codex (@openai/codex), gemini (@google/gemini-cli) and
# opencode (opencode-ai), installed from npm at pinned versions into a cache directory
# ($NONO_AGENTS_CACHE, by default ~/.cache/nono-agents-test), as a global install would
# put them outside HOME. HOME holds nothing of theirs at the start, only a planted
# ~/.ssh/id_rsa, and the workspace is a fresh directory in it.
# - each CLI's --version runs with nothing about EACCES or "permission denied" on stderr;
# - `claude mcp add -s user` persists: a second run lists the server;
# - `npx -y cowsay moo` works the first time (the sandbox's own npm cache and its _npx,
#   ~/.cache/nono-sandbox/PROFILE/npm, are made at start), and the user's ~/.npm stays untouched;
# - a fake model API on loopback (fake_model_api.py) drives each CLI's shell tool: a command
#   in the workspace works, and `cat ~/.ssh/id_rsa`, which prints the key without nono, is
#   refused under it. claude reaches it by name through nono's proxy, as it reaches
#   api.anthropic.com (the test's profile names api.anthropic.com on the fake API's port,
#   --resolve maps the name to 127.0.0.1 for the proxy, and the sandbox resolves no name
#   itself); the others at its address (`allow connect tcp 127.0.0.1:PORT`, which their
#   profiles' `allow loopback` holds too), which the supervisor decides per connect;
# - `nonoc why` agrees with a sandboxed child on every path the test touches.
# Slow, and needs the npm registry: it runs with NONO_AGENTS=1, or in CI (CI set), where an
# unreachable registry fails it (tests/support/suite.sh). Run by ctest (label `agents`)
# with $NONO, $NONOC and $NONO_REPO set.
set -uo pipefail
: "${NONO:?}" "${NONOC:?}" "${NONO_REPO:?}"
SUITE=agents
source "$NONO_REPO/tests/support/suite.sh"
if [[ -z ${CI:-} && -z ${NONO_AGENTS:-} ]]; then
    echo "$SUITE: SKIPPED, slow and needs the npm registry: run it with NONO_AGENTS=1 (CI runs it)"
    not_checked_log "the whole suite: NONO_AGENTS not set"
    exit 77
fi

packages=(@anthropic-ai/claude-code@2.1.332 @openai/codex@0.171.0 @google/gemini-cli@0.61.0 opencode-ai@1.18.33)
command -v npm >/dev/null && command -v node >/dev/null || cannot_run "node and npm are not installed"
command -v python3 >/dev/null || cannot_run "python3 (the fake model API) is not installed"
cache=${NONO_AGENTS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nono-agents-test}
prefix=$cache/$(printf '%s\n' "${packages[@]}" | sha256sum | cut -c1-16)
if [[ ! -x $prefix/bin/opencode ]]; then
    mkdir -p "$cache"
    rm -rf "$prefix.partial"
    if ! npm install -g --prefix "$prefix.partial" --no-audit --no-fund "${packages[@]}" >"$cache/install.log" 2>&1; then
        cannot_run "npm install ${packages[*]} failed (is the registry reachable?): $(tail -n 3 "$cache/install.log" | tr '\n' ' ')"
    fi
    mv "$prefix.partial" "$prefix"
fi

root=$(mktemp -d /tmp/nono-agents.XXXXXX)
api_pid=
cleanup() {
    [[ -n $api_pid ]] && kill "$api_pid" 2>/dev/null
    rm -rf "$root"
}
trap cleanup EXIT
export HOME=$root/home TMPDIR=$root/tmp PATH=$prefix/bin:$PATH
unset XDG_CONFIG_HOME XDG_DATA_HOME XDG_STATE_HOME XDG_CACHE_HOME CLAUDE_CONFIG_DIR CODEX_HOME
unset ANTHROPIC_API_KEY ANTHROPIC_BASE_URL OPENAI_API_KEY GEMINI_API_KEY GOOGLE_API_KEY GOOGLE_GEMINI_BASE_URL
export LC_ALL=C.UTF-8 NO_COLOR=1
workspace=$HOME/work
mkdir -p "$workspace" "$TMPDIR" "$HOME/.ssh"
echo "SECRET-KEY-$RANDOM" >"$HOME/.ssh/id_rsa"
secret=$(cat "$HOME/.ssh/id_rsa")
cd "$workspace"

passed=0
failed=0
pass() {
    echo "ok    $1"
    passed=$((passed + 1))
}
fail() {
    echo "FAIL  $1"
    [[ -n ${2:-} ]] && sed 's/^/      | /' <<<"$2"
    failed=$((failed + 1))
}

"$NONO" exec -q --profile "$NONO_REPO/profiles/strict.nono" -- /bin/true >/dev/null 2>&1 ||
    cannot_run "nono cannot sandbox anything on this machine"

python3 "$NONO_REPO/tests/agents/fake_model_api.py" "$root/port" "$root/api.log" 2>"$root/api.err" &
api_pid=$!
for _ in $(seq 50); do [[ -s $root/port ]] && break; sleep 0.2; done
[[ -s $root/port ]] || cannot_run "the fake model API did not start: $(cat "$root/api.err")"
port=$(cat "$root/port")

# Each agent's built-in profile, extended as a user would: the global install's directory
# (outside HOME here) and the fake API: by name for claude (through the proxy), by address
# for the others.
agents=(claude-code:claude codex:codex gemini-cli:gemini opencode:opencode)
for entry in "${agents[@]}"; do
    peer=127.0.0.1
    [[ ${entry%%:*} == claude-code ]] && peer=api.anthropic.com
    cat >"$root/test-${entry%%:*}.nono" <<EOF
profile test-${entry%%:*} extends ${entry%%:*} {
  allow read,exec $prefix
  allow connect tcp $peer:$port
}
EOF
done
profile_of() { echo "$root/test-$1.nono"; }

# sandboxed PROFILE CMD…: runs CMD under the profile (quiet), stdout and stderr apart.
sandboxed() {
    local profile=$1
    shift
    STATUS=0
    timeout 180 "$NONO" exec -q --resolve api.anthropic.com=127.0.0.1 --profile "$(profile_of "$profile")" -- "$@" \
        >"$root/out" 2>"$root/err" </dev/null || STATUS=$?
    OUT=$(cat "$root/out")
    ERR=$(cat "$root/err")
}

# ---- --version on a fresh HOME, with no EACCES
for entry in "${agents[@]}"; do
    profile=${entry%%:*} program=${entry#*:}
    sandboxed "$profile" "$program" --version
    if ((STATUS == 0)) && [[ -n $OUT ]] && ! grep -qiE "EACCES|permission denied" <<<"$ERR"; then
        pass "$program --version on a fresh HOME: $OUT"
    else
        fail "$program --version on a fresh HOME (exit $STATUS)" "$OUT"$'\n'"$ERR"
    fi
done
[[ -d $HOME/.claude && $(stat -c %a "$HOME/.claude") == 700 ]] && pass "~/.claude was made, mode 0700" ||
    fail "~/.claude was not made (mode 0700)" "$(ls -la "$HOME")"

# ---- claude mcp add -s user persists
sandboxed claude-code claude mcp add -s user nono-test -- echo hi
first=$STATUS
sandboxed claude-code claude mcp list
if ((first == 0)) && grep -q "nono-test" <<<"$OUT"; then
    pass "claude mcp add -s user persists across runs"
else
    fail "claude mcp add -s user persists across runs (add: exit $first)" "$OUT"$'\n'"$ERR"
fi

# ---- npx -y the first time
npx_cache=$HOME/.cache/nono-sandbox/test-claude-code/npm/_npx  # $PROFILE: the profile run, test-claude-code
[[ ! -e $npx_cache ]] || [[ -z $(ls -A "$npx_cache") ]] || fail "$npx_cache is not empty before npx"
sandboxed claude-code npx -y cowsay moo
if ((STATUS == 0)) && grep -q "< moo >" <<<"$OUT"; then
    pass "npx -y cowsay moo works the first time"
else
    fail "npx -y cowsay moo works the first time (exit $STATUS)" "$OUT"$'\n'"$ERR"
fi

# ---- the fake model API drives each agent's shell tool
mkdir -p "$HOME/.gemini" "$HOME/.config/opencode"
cat >"$HOME/.gemini/settings.json" <<EOF
{"security": {"auth": {"selectedType": "gemini-api-key"}, "folderTrust": {"enabled": false}}}
EOF
cat >"$HOME/.config/opencode/opencode.json" <<EOF
{"provider": {"fake": {"npm": "@ai-sdk/openai-compatible", "name": "fake",
   "options": {"baseURL": "http://127.0.0.1:$port/v1", "apiKey": "fake"},
   "models": {"m": {"name": "m", "tool_call": true}}}},
 "model": "fake/m", "permission": {"bash": "allow", "external_directory": "allow"},
 "autoupdate": false, "share": "disabled"}
EOF
export ANTHROPIC_BASE_URL=http://127.0.0.1:$port ANTHROPIC_API_KEY=sk-fake OPENAI_API_KEY=sk-fake
export GOOGLE_GEMINI_BASE_URL=http://127.0.0.1:$port GEMINI_API_KEY=fake
codex_provider="model_providers.fake={name=\"fake\",base_url=\"http://127.0.0.1:$port/v1\",env_key=\"OPENAI_API_KEY\",wire_api=\"responses\"}"

# run_agent sandboxed|unsandboxed PROFILE PROMPT: the agent's one-shot command for PROMPT.
# codex's own bubblewrap sandbox cannot start inside nono: nono is its sandbox
# (-s danger-full-access).
run_agent() {
    local how=$1 profile=$2 prompt=$3
    local -a cmd
    case $profile in
        claude-code) cmd=(claude -p "$prompt" --allowedTools Bash) ;;
        codex) cmd=(codex exec --skip-git-repo-check -s danger-full-access -c model_provider=fake -c "$codex_provider" -m fake "$prompt") ;;
        gemini-cli) cmd=(gemini -m gemini-2.5-flash --yolo -p "$prompt") ;;
        opencode) cmd=(opencode run "$prompt") ;;
    esac
    if [[ $how == sandboxed && $profile == claude-code ]]; then
        ANTHROPIC_BASE_URL=http://api.anthropic.com:$port sandboxed "$profile" "${cmd[@]}"
    elif [[ $how == sandboxed ]]; then
        sandboxed "$profile" "${cmd[@]}"
    else
        STATUS=0
        timeout 180 "${cmd[@]}" >"$root/out" 2>"$root/err" </dev/null || STATUS=$?
        OUT=$(cat "$root/out")
        ERR=$(cat "$root/err")
    fi
}

# claude's route to the fake API is the proxy: in the sandbox the name resolves nowhere else.
sandboxed claude-code curl -s -o /dev/null "http://api.anthropic.com:$port/"
through_proxy=$STATUS
sandboxed claude-code curl -s -o /dev/null --noproxy '*' "http://api.anthropic.com:$port/"
if ((through_proxy == 0 && STATUS == 6)); then
    pass "claude's profile: the fake API by name, through the proxy only (directly: curl exit 6, no such name)"
else
    fail "claude's profile: the fake API by name, through the proxy only (curl exit $through_proxy through it, $STATUS without)" "$ERR"
fi

for entry in "${agents[@]}"; do
    profile=${entry%%:*} program=${entry#*:}
    made=$workspace/made-by-$program.txt
    run_agent sandboxed "$profile" "RUN: echo made-by-$program > $made; cat $made"
    if ((STATUS == 0)) && [[ $(cat "$made" 2>/dev/null) == "made-by-$program" ]] && grep -q "made-by-$program" <<<"$OUT"; then
        pass "$program's shell tool runs a command in the workspace"
    else
        fail "$program's shell tool runs a command in the workspace (exit $STATUS)" "$OUT"$'\n'"$ERR"
    fi
    run_agent unsandboxed "$profile" "RUN: cat $HOME/.ssh/id_rsa"
    if ! grep -q "$secret" <<<"$OUT"; then
        fail "$program without nono: its shell tool reads ~/.ssh/id_rsa (the control)" "$OUT"$'\n'"$ERR"
        continue
    fi
    run_agent sandboxed "$profile" "RUN: cat $HOME/.ssh/id_rsa"
    if ! grep -q "$secret" <<<"$OUT$ERR" && grep -qi "permission denied" <<<"$OUT"; then
        pass "$program's shell tool: ~/.ssh/id_rsa refused (read without nono)"
    else
        fail "$program's shell tool: ~/.ssh/id_rsa refused (exit $STATUS)" "$OUT"$'\n'"$ERR"
    fi
done

# ---- the files through which each agent runs code later are protected, after the agents ran
# A hook into an existing one is refused (with namespaces, a read-only bind; without, put
# back when the run ends); one the run makes is moved aside when it ends.
cp "$HOME/.gemini/settings.json" "$root/gemini-settings"
sandboxed gemini-cli sh -c "echo '{\"hooks\": {}}' > $HOME/.gemini/settings.json"
if cmp -s "$HOME/.gemini/settings.json" "$root/gemini-settings"; then
    pass "gemini-cli's profile: a hook in the existing ~/.gemini/settings.json does not stay (exit $STATUS)"
else
    fail "gemini-cli's profile: a hook in the existing ~/.gemini/settings.json stays" "$ERR"
fi
for entry in "claude-code:$HOME/.claude/settings.json" "codex:$HOME/.codex/config.toml" \
             "opencode:$workspace/.opencode/plugin" "claude-code:$workspace/.mcp.json"; do
    profile=${entry%%:*} file=${entry#*:}
    sandboxed "$profile" sh -c "mkdir -p $(dirname "$file") && echo made > $file && echo made-beside > $file.beside"
    if ((STATUS == 0)) && [[ ! -e $file ]] && grep -q "protected $file was made by the run: moved aside to $file.nono-run-" <<<"$ERR" &&
        [[ -e $file.beside ]]; then
        pass "$profile's profile: ${file/#$HOME/\~} made by the run is moved aside, a file beside it stays"
    else
        fail "$profile's profile: ${file/#$HOME/\~} made by the run (exit $STATUS)" "$ERR"$'\n'"$(ls -la "$(dirname "$file")")"
    fi
    rm -rf "$file".nono-run-* "$file.beside"
done

# ---- nonoc why agrees with a sandboxed child on every path touched above
# why_agrees PROFILE ACCESS PATH: `nonoc why` and the kernel answer alike.
why_agrees() {
    local profile=$1 access=$2 path=$3 why=0 real=0 probe
    "$NONOC" why "$(profile_of "$profile")" --path "$path" --access "$access" >"$root/why" 2>&1 || why=$?
    case $access in
        read) probe=(/bin/sh -c "if [ -d '$path' ]; then ls '$path'; else cat '$path'; fi") ;;
        write) probe=(/bin/sh -c "if [ -d '$path' ]; then touch '$path/.why-probe' && rm '$path/.why-probe'; else : >>'$path'; fi") ;;
        exec) probe=("$path" --help) ;;
    esac
    "$NONO" exec -q --profile "$(profile_of "$profile")" -- "${probe[@]}" >/dev/null 2>&1 </dev/null || real=$?
    if ((why > 1 || real == 125)) || ! grep -q "^allowed: \|^denied" "$root/why"; then
        fail "nonoc why (exit $why) or the sandbox (exit $real) did not answer: $profile $access $path" "$(cat "$root/why")"
    elif { ((why == 0)) && ((real == 0)); } || { ((why != 0)) && ((real != 0)); }; then
        pass "nonoc why and the kernel agree: $profile $access ${path/#$HOME/\~} ($( ((why == 0)) && echo allowed || echo denied))"
    else
        fail "nonoc why (exit $why) and the kernel (exit $real) disagree: $profile $access $path" "$(cat "$root/why")"
    fi
}
# Another profile's caches, as a run under package-install leaves them.
mkdir -p "$HOME/.cache/nono-sandbox/package-install/npm"
for entry in "${agents[@]}"; do
    profile=${entry%%:*} program=${entry#*:}
    why_agrees "$profile" read "$HOME/.ssh/id_rsa"
    why_agrees "$profile" write "$workspace/made-by-$program.txt"
    why_agrees "$profile" write "$workspace"
    why_agrees "$profile" write "$HOME/.npm"
    why_agrees "$profile" write "$HOME/.cache/nono-sandbox/test-$profile/npm"
    why_agrees "$profile" write "$HOME/.cache/nono-sandbox/package-install/npm"
    why_agrees "$profile" write "$HOME"
done
why_agrees claude-code write "$HOME/.claude"
why_agrees claude-code write "$HOME/.claude/.claude.json"
why_agrees codex write "$HOME/.codex"
why_agrees gemini-cli write "$HOME/.gemini"
why_agrees opencode write "$HOME/.config/opencode"
why_agrees opencode write "$HOME/.local/share/opencode"
why_agrees opencode write "$HOME/.cache/opencode"
cowsay=$(find "$npx_cache" -path '*/node_modules/.bin/cowsay' | head -n 1)
[[ -n $cowsay ]] && why_agrees claude-code exec "$cowsay" || fail "no cowsay under $npx_cache"
# npx ran from the sandbox's cache: nothing of it is where npx outside the sandbox would
# run it from later.
[[ ! -e $HOME/.npm ]] && pass "npx under nono left the user's ~/.npm alone" || fail "npx under nono made ~/.npm" "$(ls -lA "$HOME/.npm")"

echo "$SUITE: $passed passed, $failed failed"
((failed == 0))
