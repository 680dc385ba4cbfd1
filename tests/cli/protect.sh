#!/usr/bin/env bash
# `protect PATH…` (issue 16), with real sandboxed processes, as root and as nobody, in both
# modes (namespaces, and none: simulated with with_syscalls_failing):
# - with namespaces, an existing protected file refuses writing, replacing (rename over) and
#   removing, while files beside it are created (every refusal has its unsandboxed control);
# - in both modes, a protected file the run made is moved aside when it ends and named on
#   stderr; without namespaces, one the run changed is moved aside and the original put back;
#   nothing is moved over an existing file;
# - the agent profiles' protected files: claude-code's ~/.claude/settings.json refuses a hook
#   with namespaces, and a project .mcp.json the run writes is moved aside, while ~/.claude
#   keeps every create right; `nonoc why` answers `protected:` for them;
# - --dry-run names the binds and, as weaker, what is only checked at the end.
set -uo pipefail
: "${NONO:?}" "${NONOC:?}" "${NONO_REPO:?}" "${NONO_TEST_HELPERS:?}"
SUITE="protect"
source "$NONO_REPO/tests/support/suite.sh"
source "$NONO_REPO/tests/support/as_user.sh"
without=("$NONO_TEST_HELPERS/with_syscalls_failing" namespaces)
content_is() { [[ $(cat "$2" 2>/dev/null) == "$3" ]] || fail "$1: $2 holds '$(cat "$2" 2>&1)', expected '$3'"; }

# A home with a workspace, its .agent directory holding a hook file (made outside the sandbox,
# as the user has it); the profile protects it and a second name there that does not exist.
plant() {
    local user=$1
    home=$work/home-$user
    ws=$home/ws
    rm -rf "$home"
    mkdir -p "$home/tmp" "$ws/.agent"
    echo '{"hooks": "mine"}' >"$ws/.agent/hooks.json"
    [[ $user == nobody ]] && chown -R nobody:nogroup "$home"
    profile=$work/protect-test.nono
    printf 'profile protect-test extends python-agent {\n  protect ${workspace}/.agent/hooks.json ${workspace}/.agent/mcp.json\n}\n' >"$profile"
}

for user in root nobody; do
    for mode in namespaces none; do
        plant "$user"
        run=("$NONO" exec --profile "$profile" --param "workspace=$ws" --)
        [[ $mode == none ]] && run=("${without[@]}" "$NONO" exec --allow-weaker --profile "$profile" --param "workspace=$ws" --)
        hooks=$ws/.agent/hooks.json mcp=$ws/.agent/mcp.json

        # ---- files beside the protected ones are made: the directory keeps its create rights
        as "$user" 0 "a new file beside a protected one ($mode)" -- "${run[@]}" sh -c 'echo x > .agent/other.json && mkdir .agent/d'
        content_is "a new file beside a protected one ($mode, as $user)" "$ws/.agent/other.json" x

        # ---- an existing protected file: with namespaces refused; without, put back at the end
        as "$user" 0 "control: .agent/hooks.json is writable unsandboxed" -- sh -c "cp $hooks $home/tmp/keep && cp $home/tmp/keep $hooks"
        if [[ $mode == namespaces ]]; then
            as "$user" nonzero "writing an existing protected file" -- "${run[@]}" sh -c "echo evil >> $hooks"
            refused_write "writing an existing protected file"
            as "$user" nonzero "renaming over an existing protected file" -- "${run[@]}" sh -c "echo evil > .agent/x && mv -f .agent/x $hooks"
            refused_write "renaming over an existing protected file"
            as "$user" nonzero "removing an existing protected file" -- "${run[@]}" rm -f "$hooks"
            refused_write "removing an existing protected file"
        else
            as "$user" 0 "changing an existing protected file without namespaces" -- "${run[@]}" sh -c "echo '{\"hooks\": \"evil\"}' > $hooks"
            output_has "the change is said" "nono: protected $hooks was changed by the run: moved aside to $hooks.nono-run-[0-9]*, the original put back"
            aside=$(ls "$hooks".nono-run-* 2>/dev/null | head -n 1)
            [[ -n $aside ]] && content_is "the changed file moved aside (as $user)" "$aside" '{"hooks": "evil"}' ||
                fail "nothing was moved aside (as $user)"
            rm -f "$hooks".nono-run-*
            as "$user" 0 "renaming over an existing protected file without namespaces" -- "${run[@]}" sh -c "echo evil > .agent/x && mv -f .agent/x $hooks"
            output_has "the replacement is said" "nono: protected $hooks was changed by the run"
            rm -f "$hooks".nono-run-*
        fi
        content_is "the protected file is as it was ($mode, as $user)" "$hooks" '{"hooks": "mine"}'

        # ---- a protected file the run made: moved aside when it ends, never over anything
        echo older >"$mcp.nono-run-1"
        as "$user" 0 "making a protected file ($mode)" -- "${run[@]}" sh -c "echo '{\"mcpServers\": 1}' > $mcp && cat $mcp"
        output_has "the file was made in the run" '"mcpServers"'
        output_has "the move is said, naming both paths" "nono: protected $mcp was made by the run: moved aside to $mcp.nono-run-"
        [[ ! -e $mcp ]] || fail "the protected file the run made is still there ($mode, as $user)"
        content_is "what stood beside it is untouched ($mode, as $user)" "$mcp.nono-run-1" older
        [[ $(ls "$mcp".nono-run-* | wc -l) -eq 2 ]] || fail "the made file is not beside it ($mode, as $user): $(ls "$ws/.agent")"

        # ---- --dry-run
        as "$user" 0 "--dry-run ($mode)" -- $([[ $mode == none ]] && echo "${without[@]}") "$NONO" exec --profile "$profile" \
            --param "workspace=$ws" --dry-run -- true
        output_has "--dry-run names the missing one as weaker ($mode)" "weaker than the profile: $mcp (protect): "
        if [[ $mode == namespaces ]]; then
            output_has "--dry-run names the bind" "read-only: $hooks (protect)"
        else
            output_has "--dry-run names the existing one as weaker without namespaces" "weaker than the profile: $hooks (protect): no user namespace"
        fi
    done
done

# ---- a symlink put in the way since the start is said, and nothing is followed --------------
plant root
as root 0 "replacing the protected file's directory with a symlink (no namespaces)" -- "${without[@]}" "$NONO" exec --allow-weaker \
    --profile "$profile" --param "workspace=$ws" -- sh -c "mkdir elsewhere && mv .agent agent.old && ln -s elsewhere .agent && echo evil > elsewhere/mcp.json"
output_has "the symlink is said" "nono: protected $ws/.agent/hooks.json was not checked: $ws/.agent: a symlink stands in the path to it"
content_is "nothing was followed" "$ws/elsewhere/mcp.json" evil

# ---- the agent profiles' own files --------------------------------------------------------
for user in root nobody; do
    plant "$user"
    mkdir -p "$home/.claude"
    echo '{}' >"$home/.claude/settings.json"
    [[ $user == nobody ]] && chown -R nobody:nogroup "$home"
    claude=("$NONO" exec --profile claude-code --param "workspace=$ws" --)
    as "$user" 0 "control: ~/.claude/settings.json is writable unsandboxed" -- sh -c "cp $home/.claude/settings.json $home/tmp/s && cp $home/tmp/s $home/.claude/settings.json"
    as "$user" nonzero "a hook in ~/.claude/settings.json under claude-code" -- "${claude[@]}" \
        sh -c "echo '{\"hooks\": {\"Stop\": [{\"hooks\": [{\"type\": \"command\", \"command\": \"touch /tmp/pwned\"}]}]}}' > $home/.claude/settings.json"
    refused_write "a hook in ~/.claude/settings.json under claude-code"
    content_is "~/.claude/settings.json is as it was (as $user)" "$home/.claude/settings.json" '{}'
    as "$user" 0 "new files in ~/.claude and the workspace under claude-code" -- "${claude[@]}" \
        sh -c "echo x > $home/.claude/new.json && echo '{\"mcpServers\": {}}' > $ws/.mcp.json"
    output_has "the project's .mcp.json is moved aside" "nono: protected $ws/.mcp.json was made by the run: moved aside to $ws/.mcp.json.nono-run-"
    content_is "~/.claude keeps its create rights (as $user)" "$home/.claude/new.json" x
    [[ ! -e $ws/.mcp.json ]] || fail "the project's .mcp.json made by the run is still there (as $user)"
done
"$NONOC" why "$NONO_REPO/profiles/claude-code.nono" --bind HOME=/home/u --bind CWD=/home/u/w --path /home/u/.claude/settings.json --access write >"$out" 2>&1
[[ $? -eq 1 ]] || fail "nonoc why: a protected file is not allowed"
output_has "nonoc why says protected" "^protected: write /home/u/.claude/settings.json"
output_has "nonoc why names the statement" "protected by: protect \${config}/settings.json"
for agent in codex:/home/u/.codex/config.toml gemini-cli:/home/u/w/.gemini/settings.json opencode:/home/u/w/.opencode/plugin; do
    "$NONOC" why "$NONO_REPO/profiles/${agent%%:*}.nono" --bind HOME=/home/u --bind CWD=/home/u/w --path "${agent#*:}" --access write >"$out" 2>&1
    output_has "nonoc why: ${agent%%:*} protects ${agent#*:}" "^protected: write ${agent#*:}"
done

if [[ $failures -ne 0 ]]; then
    echo "protect: $failures failures"
    exit 1
fi
echo "protect: all passed"
