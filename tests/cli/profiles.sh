#!/usr/bin/env bash
# The built-in profiles keep what base closes closed: for every profile that extends base,
# with the workspace at $HOME (the widest grant a user can give), `nonoc why` must answer
# "denied" for the user's secrets (read, write, exec) and for the files through which code
# runs later outside the sandbox (write). And the agents can do their job: their own state
# directories are writable, the workspace is writable, HTTPS is allowed.
# Run by ctest with $NONOC and $NONO_REPO set.
set -euo pipefail

home=/home/user
bind=(--bind HOME=$home --bind CWD=$home --bind USER=user --bind TMPDIR=/tmp)
failures=0
checks=0

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# expect allowed|denied PROFILE WHY-ARGS…
expect() {
    local want=$1 profile=$2
    shift 2
    local out status=0
    out=$("$NONOC" why "$NONO_REPO/profiles/$profile.nono" "$@" "${bind[@]}" 2>&1) || status=$?
    checks=$((checks + 1))
    case $want:$status in
        allowed:0 | denied:1) ;;
        *) fail "$profile: expected $want for $*, nonoc why exited $status:
$out" ;;
    esac
}

# The first line of each answer of `nonoc why`.
answer_line='^(allowed|denied|denied on this machine|protected): '

# expect_all allowed|denied PROFILE "ACCESS…" PATH…: one `nonoc why` asks every path with
# every access (path by path); each answer's first line ("allowed: ACCESS PATH", else
# "denied…" or "protected:") must say WANT, and the exit status must agree (0: all allowed).
expect_all() {
    local want=$1 profile=$2 access path
    local -a accesses=($3) args=() answers=()
    shift 3
    for access in "${accesses[@]}"; do args+=(--access "$access"); done
    for path in "$@"; do args+=(--path "$path"); done
    local out status=0
    out=$("$NONOC" why "$NONO_REPO/profiles/$profile.nono" "${args[@]}" "${bind[@]}" 2>&1) || status=$?
    mapfile -t answers < <(grep -E "$answer_line" <<<"$out")
    local i=0
    for path in "$@"; do
        for access in "${accesses[@]}"; do
            checks=$((checks + 1))
            local answer=${answers[i]:-}
            i=$((i + 1))
            if [[ $answer != *": $access $path" ]]; then
                fail "$profile: no answer for $access $path, nonoc why said:
$out"
                return
            fi
            [[ $answer == allowed:* && $want == allowed ]] || [[ $answer != allowed:* && $want == denied ]] ||
                fail "$profile: expected $want for $access $path: $answer"
        done
    done
    ((${#answers[@]} == i)) || fail "$profile: ${#answers[@]} answers to $i questions"
    case $want:$status in
        allowed:0 | denied:1) ;;
        *) fail "$profile: expected $want for every path, nonoc why exited $status" ;;
    esac
}

secrets=(
    .ssh/id_ed25519 .gnupg/private-keys-v1.d .aws/credentials .config/gcloud/credentials.db
    .azure/msal_token_cache.json .kube/config .docker/config.json .terraform.d/credentials.tfrc.json
    .config/gh/hosts.yml .npmrc .yarnrc.yml .pypirc .netrc .cargo/credentials.toml
    .gem/credentials .m2/settings.xml .gradle/gradle.properties .git-credentials
    .config/git/credentials .bash_history .zsh_history .python_history
    .local/share/fish/fish_history .mozilla/firefox/profiles.ini
    .config/google-chrome/Default/Cookies .password-store/email.gpg
    .local/share/keyrings/login.keyring .config/1Password/settings.json
)
run_later=(
    .bashrc .profile .zshrc .zshenv .config/fish/config.fish .config/autostart/x.desktop
    .config/systemd/user/x.service .local/bin/git .gitconfig .config/git/config .vimrc
    .config/nono/profiles/x.nono
    .npm/_npx/0123/node_modules/.bin/x .cache/node/corepack/v1/yarn .cache/pip/wheels/x.whl
    .cache/huggingface/hub/x .cache/ccache/0/x .config/ccache/ccache.conf go/pkg/mod/x .conan2/p/x
)

profiles=()
for file in "$NONO_REPO"/profiles/*.nono; do
    grep -Eq '^profile [a-z0-9._-]+ extends (.*[ ,])?base([ ,{]|$)' "$file" && profiles+=("$(basename "$file" .nono)")
done
((${#profiles[@]} >= 10)) || fail "only ${#profiles[@]} profiles extend base: ${profiles[*]}"

for profile in base "${profiles[@]}"; do
    expect_all denied "$profile" "read write exec" "${secrets[@]/#/$home/}"
    expect_all denied "$profile" write "${run_later[@]/#/$home/}"
done

# What the agents need to run: their state, the workspace, HTTPS.
state=(
    claude-code:.claude/.claude.json claude-code:.claude/new-state.json codex:.codex/sessions
    gemini-cli:.gemini/projects.json aider:.aider/caches opencode:.local/share/opencode/auth.json
    opencode:.config/opencode/opencode.json
    node-agent:.cache/nono-sandbox/node-agent/npm/_npx/0123 claude-code:.cache/nono-sandbox/claude-code/corepack/v1
    python-agent:.cache/nono-sandbox/python-agent/pip/wheels aider:.cache/nono-sandbox/aider/huggingface/hub
    build:.cache/nono-sandbox/build/ccache/0
)
for entry in "${state[@]}"; do
    expect allowed "${entry%%:*}" --path "$home/${entry#*:}" --access write
done
# Each profile's caches are its own: a run under package-install cannot plant in claude-code's
# npx cache, which claude-code would run with its rights, even with the workspace at HOME
# (these questions bind CWD to it); reading them is what that workspace grants.
caches=(npm/_npx/0123/node_modules/.bin/x corepack/v1/yarn pip/wheels/x.whl)
for profile in package-install claude-code node-agent run; do
    others=()
    for other in package-install claude-code node-agent run; do
        [[ $other == "$profile" ]] || others+=("${caches[@]/#/$home/.cache/nono-sandbox/$other/}")
    done
    expect_all denied "$profile" write "${others[@]}"
done
# The files through which each agent runs code later are protected (`nonoc why` answers
# "protected:" and exits 1), in the directories it may otherwise write.
protected=(
    claude-code:.claude/settings.json claude-code:.mcp.json claude-code:.claude/settings.local.json
    codex:.codex/config.toml codex:.codex/hooks.json gemini-cli:.gemini/settings.json
    gemini-cli:.gemini/extensions/x/gemini-extension.json opencode:.config/opencode/plugin/x.js
    opencode:.opencode/tools/x.ts
)
for entry in "${protected[@]}"; do
    expect denied "${entry%%:*}" --path "$home/${entry#*:}" --access write
done
for profile in python-agent node-agent claude-code codex gemini-cli aider opencode package-install; do
    expect allowed "$profile" --path "$home/src/main.c" --access write
    expect denied "$profile" --connect tcp:22
done
# Agents for any model API reach every host on 443; the others only the hosts they name:
# their model API, and the npm registry where they run npx.
for profile in python-agent node-agent aider; do
    expect allowed "$profile" --connect tcp:443
done
for entry in claude-code:api.anthropic.com claude-code:registry.npmjs.org codex:api.openai.com \
             gemini-cli:generativelanguage.googleapis.com opencode:api.anthropic.com opencode:models.opencode.ai \
             package-install:pypi.org package-install:files.pythonhosted.org package-install:registry.npmjs.org; do
    expect allowed "${entry%%:*}" --connect "${entry#*:}:443"
    expect denied "${entry%%:*}" --connect tcp:443
    expect denied "${entry%%:*}" --connect exfil.example.com:443
done
for profile in strict build; do
    expect allowed "$profile" --path "$home/src/main.c" --access write
    expect denied "$profile" --connect tcp:443
done

# The workspace's .git/hooks and .git/config stay writable under the agents (Landlock could
# only protect them by refusing new files at the workspace top and `git commit`); the
# protect-git fragment makes them read-only for those who accept that.
expect allowed python-agent --path "$home/.git/hooks/pre-commit" --access write
for path in .git/hooks/pre-commit .git/config; do
    expect denied protect-git --path "$home/$path" --access write
done

# `nonoc diff base AGENT`: nothing an agent adds (the "+" lines) is a right base denies by a
# statement at that path or above it. Paths under $HOME are where base's denies are. The one
# exception is the agent's own caches: base denies writing every profile's, so that no
# profile writes another's.
# base_denies_none PROFILE ACCESS PATH…: one `nonoc why base` for all the paths; no answer
# (a paragraph each) is decided by a deny. why exits 1 for "denied": its answers are read,
# not its status, and there must be one per path.
base_denies_none() {
    local profile=$1 access=$2
    shift 2
    (($#)) || return 0
    local args=() path answers
    for path in "$@"; do args+=(--path "$path"); done
    answers=$("$NONOC" why "$NONO_REPO/profiles/base.nono" --access "$access" "${args[@]}" "${bind[@]}" 2>&1) || true
    checks=$((checks + $#))
    local count
    count=$(grep -cE "$answer_line" <<<"$answers") || true
    ((count == $#)) || fail "$profile: base answered $count of $# questions about $access:
$answers"
    while IFS= read -r denied; do
        fail "$profile: nonoc diff shows it granting what base denies: $denied"
    done < <(awk -v RS= '/decided by: deny/ { sub(/\n.*/, ""); print }' <<<"$answers")
}
for profile in "${profiles[@]}"; do
    granted_read=() granted_write=() granted_exec=()
    while IFS= read -r line; do
        [[ $line =~ ^\+\ (.*)\ (/home/user[^ ]*)\ +\( ]] || continue
        rights=${BASH_REMATCH[1]} path=${BASH_REMATCH[2]}
        [[ $path == /home/user/.cache/nono-sandbox/$profile/* ]] && continue
        [[ ", $rights, " == *", read, "* ]] && granted_read+=("$path")
        [[ ", $rights, " == *", write, "* ]] && granted_write+=("$path")
        [[ ", $rights, " == *", exec, "* ]] && granted_exec+=("$path")
    done < <("$NONOC" diff "$NONO_REPO/profiles/base.nono" "$NONO_REPO/profiles/$profile.nono" "${bind[@]}")
    base_denies_none "$profile" read "${granted_read[@]}"
    base_denies_none "$profile" write "${granted_write[@]}"
    base_denies_none "$profile" exec "${granted_exec[@]}"
done

# The escape classes base closes: a sample of each, through every profile.
for profile in base "${profiles[@]}"; do
    expect denied "$profile" --syscall io_uring_setup
    expect denied "$profile" --syscall ioctl --args 0,0x5412
    expect denied "$profile" --syscall ioctl --args 0,0x100005412
    expect allowed "$profile" --syscall ioctl --args 0,0x5401
    expect denied "$profile" --syscall unshare --args 0x10000000
    expect denied "$profile" --syscall clone --args 0x40000000
    expect allowed "$profile" --syscall clone --args 0x1200011
    expect denied "$profile" --syscall clone3
    expect denied "$profile" --syscall ptrace
    expect denied "$profile" --syscall personality --args 0x0040000
    expect allowed "$profile" --syscall personality --args 0xffffffff
    expect denied "$profile" --syscall memfd_create --args 0,0x1
    expect allowed "$profile" --syscall memfd_create --args 0,0x9
done

if ((failures)); then
    echo "profiles.sh: $failures of $checks checks failed" >&2
    exit 1
fi
echo "profiles.sh: $checks checks over ${#profiles[@]} profiles extending base"
