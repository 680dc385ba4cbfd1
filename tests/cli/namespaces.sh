#!/usr/bin/env bash
# The namespace mode (issue 16), with real sandboxed processes, as root and as nobody: under
# python-agent, git works in the workspace (init, add, commit) and files are created at its
# top, while, once the repository exists when the sandbox starts, its .git/hooks and
# .git/config, those of a submodule and of a nested repository refuse every write and
# cannot be moved away; a file outside the write grants
# refuses chmod even for its owner (every refusal has its unsandboxed control); what the
# profile denies cannot even be looked up (~/.ssh is covered); /tmp is the
# run's own, /proc shows the run's processes only. `--dry-run` names the mode and the binds;
# where namespaces are refused (simulated with with_syscalls_failing), the run says what it
# lacks and needs --allow-weaker, and the supervisor mediates metadata: git, chmod and touch
# (and chattr, a user xattr) work inside the write grant, chmod and touch outside are
# refused; where it cannot mediate either (pidfd_getfd refused), that is said too.
set -uo pipefail
: "${NONO:?}" "${NONO_REPO:?}" "${NONO_TEST_HELPERS:?}"
SUITE="namespaces"
source "$NONO_REPO/tests/support/suite.sh"
command -v git >/dev/null || cannot_run "git is not installed"
source "$NONO_REPO/tests/support/as_user.sh"

# A home with a workspace that is not a repository yet, with a nested repository made
# outside the sandbox, as the user would have it.
plant() {
    local user=$1
    home=$work/home-$user
    ws=$home/ws
    rm -rf "$home"
    mkdir -p "$home/tmp" "$ws/lib/nested"
    echo "mine" >"$home/notes.txt"
    mkdir -p "$home/.ssh"
    echo "-----BEGIN OPENSSH PRIVATE KEY-----" >"$home/.ssh/id_rsa"
    echo "example.org ssh-ed25519 AAAA" >"$home/.ssh/known_hosts"
    git -C "$ws/lib/nested" init -q
    [[ $user == nobody ]] && chown -R nobody:nogroup "$home"
    profile=$work/ns-test.nono
    printf 'profile ns-test extends python-agent {\n  allow read /proc\n}\n' >"$profile"
}

# The workspace's repository gets a submodule's git directory, as `git submodule add` makes
# it (made outside, as if cloned so).
add_submodule() {
    local user=$1
    mkdir -p "$ws/.git/modules/sub/hooks" "$ws/sub"
    printf '[core]\n\tbare = false\n' >"$ws/.git/modules/sub/config"
    echo "gitdir: ../.git/modules/sub" >"$ws/sub/.git"
    [[ $user == nobody ]] && chown -R nobody:nogroup "$ws"
}

sandbox=()
# -q: the checks read the command's output, without nono's own lines at start.
set_sandbox() { sandbox=("$NONO" exec -q --profile "$profile" --param "workspace=$ws" --); }

for user in root nobody; do
    plant "$user"
    set_sandbox

    # ---- git and new files at the top of the workspace work ------------------------------
    as "$user" 0 "git init, add and commit in a new repository" -- "${sandbox[@]}" \
        sh -c 'git init -q && echo hello > top.txt && git add top.txt && git commit -q -m first'
    add_submodule "$user"
    # From here on the repository existed when the sandbox started: its hooks and config are bound.
    as "$user" 0 "a new file at the top of the workspace" -- "${sandbox[@]}" sh -c 'echo hello > top2.txt'
    as "$user" 0 "git add and git commit" -- "${sandbox[@]}" sh -c 'git add top2.txt && git commit -q -m second'
    [[ $(git -c safe.directory='*' -C "$ws" log --format=%s -1) == second ]] || fail "the commit made in the sandbox is not there (as $user)"
    as "$user" 0 "chmod inside the write grant" -- "${sandbox[@]}" chmod 0755 top.txt

    # ---- hooks and configuration: refused, not movable -------------------------------------
    for target in .git/hooks/pre-commit .git/modules/sub/hooks/pre-commit lib/nested/.git/hooks/pre-commit; do
        as "$user" 0 "control: $target is writable unsandboxed" -- sh -c "echo ok > $target && rm $target"
        as "$user" nonzero "writing $target" -- "${sandbox[@]}" sh -c "echo 'touch /tmp/pwned' > $target"
        refused_write "writing $target"
        [[ ! -e $ws/$target ]] || fail "$target was created (as $user)"
    done
    for target in .git/config .git/modules/sub/config lib/nested/.git/config sub/.git; do
        as "$user" nonzero "appending to $target" -- "${sandbox[@]}" sh -c "echo '[core] fsmonitor = evil' >> $target"
        refused_write "appending to $target"
    done
    as "$user" nonzero "git config core.fsmonitor" -- "${sandbox[@]}" git config core.fsmonitor 'touch /tmp/pwned'
    grep -q fsmonitor "$ws/.git/config" && fail "git config wrote .git/config (as $user)"
    # Where the configuration sends git elsewhere in the work tree (a hooks path, as husky
    # sets, and an included file), those are bound too; a file beside them stays writable.
    mkdir -p "$ws/.githooks"
    touch "$ws/shared.gitconfig"
    git -c safe.directory='*' -C "$ws" config core.hooksPath .githooks
    git -c safe.directory='*' -C "$ws" config include.path ../shared.gitconfig
    [[ $user == nobody ]] && chown -R nobody:nogroup "$ws"
    for target in .githooks/pre-commit shared.gitconfig; do
        as "$user" 0 "control: $target is writable unsandboxed" -- sh -c "echo '# ok' >> $target"
        as "$user" nonzero "writing $target" -- "${sandbox[@]}" sh -c "echo 'touch /tmp/pwned' >> $target"
        refused_write "writing $target"
    done
    as "$user" 0 "a file beside the hooks path" -- "${sandbox[@]}" sh -c 'echo x > beside-githooks.txt'
    git -c safe.directory='*' -C "$ws" config --unset core.hooksPath
    git -c safe.directory='*' -C "$ws" config --unset include.path
    [[ $user == nobody ]] && chown -R nobody:nogroup "$ws"
    for target in .git/hooks .git lib/nested/.git; do
        as "$user" nonzero "moving $target away" -- "${sandbox[@]}" mv -T "$target" "moved-${target//\//-}"
        refused_write "moving $target away"
    done
    # What git runs code from but is missing at start cannot be bound: a repository without
    # hooks (made with an empty template), and `commondir`, which sends git to another
    # directory's config and hooks. The run may make them; when it ends they are moved aside.
    git init -q --template= "$ws/lib/no-hooks"
    [[ $user == nobody ]] && chown -R nobody:nogroup "$ws/lib/no-hooks"
    as "$user" 0 "making hooks and commondir where they were missing" -- "${sandbox[@]}" sh -c \
        'mkdir lib/no-hooks/.git/hooks && echo "touch /tmp/pwned" > lib/no-hooks/.git/hooks/pre-commit && echo ../evil > lib/no-hooks/.git/commondir'
    for target in hooks commondir; do
        [[ ! -e $ws/lib/no-hooks/.git/$target ]] || fail "lib/no-hooks/.git/$target made by the run is still in place (as $user)"
        output_has "the run's $target is said to be moved aside" "lib/no-hooks/.git/$target was made by the run: moved aside"
    done
    rm -rf "$ws/lib/no-hooks"

    # ---- metadata outside the write grants: refused even for the owner ----------------------
    as "$user" 0 "control: chmod of ~/notes.txt unsandboxed" -- chmod 0600 "$home/notes.txt"
    as "$user" nonzero "chmod of ~/notes.txt" -- "${sandbox[@]}" chmod 0666 "$home/notes.txt"
    refused_write "chmod of ~/notes.txt"

    # ---- what the profile denies is hidden, not only unreadable ------------------------------
    # Landlock refuses opening ~/.ssh/id_rsa, not looking it up; the view covers ~/.ssh.
    as "$user" 0 "control: the key's size unsandboxed" -- stat -c %s "$home/.ssh/id_rsa"
    as "$user" nonzero "the key's size" -- "${sandbox[@]}" stat -c %s "$home/.ssh/id_rsa"
    printf 'profile reopened extends python-agent {\n  allow read ~/.ssh/known_hosts\n}\n' >"$work/reopened.nono"
    as "$user" 0 "a path an allow reopens below a denied one is not covered" -- \
        "$NONO" exec -q --profile "$work/reopened.nono" --param "workspace=$ws" -- cat "$home/.ssh/known_hosts"
    output_has "the reopened file is read" "example.org"

    # ---- /tmp and /proc are the run's -------------------------------------------------------
    as "$user" 0 "a file in /tmp" -- "${sandbox[@]}" sh -c 'echo x > /tmp/nono-namespaces-probe && ls /tmp'
    [[ ! -e /tmp/nono-namespaces-probe ]] || fail "the sandbox's /tmp is the machine's (as $user)"
    # With the private directory made in the machine's /tmp (TMPDIR unset), /tmp shows it and
    # its own path ($TMPDIR) leads there too: the command writes by either name.
    as "$user" 0 "the private directory by both names" -- env -u TMPDIR "${sandbox[@]}" \
        sh -c 'echo x > "$TMPDIR/a" && echo y > /tmp/b && cat /tmp/a "$TMPDIR/b"'
    [[ $(cat "$out") == $'x\ny' ]] || fail "the private directory by both names (as $user): $(cat "$out")"
    # A repository in the machine's /tmp, which the private directory covers: not searched,
    # so no bind looks for its .git in a view where it is not.
    machines_repo=$(mktemp -d /tmp/nono-namespaces-repo.XXXXXX)
    git -C "$machines_repo" init -q
    chmod -R a+rX "$machines_repo"
    as "$user" 0 "a repository in the machine's /tmp" -- env -u TMPDIR "${sandbox[@]}" true
    rm -rf "$machines_repo"
    as "$user" 0 "listing /proc" -- "${sandbox[@]}" sh -c 'ls /proc | grep -c "^[0-9]"'
    processes=$(cat "$out")
    [[ $processes =~ ^[0-9]+$ && $processes -le 4 ]] || fail "/proc shows processes outside the run (as $user)"
    as "$user" nonzero "/proc of a process outside" -- "${sandbox[@]}" cat "/proc/$$/cmdline"
    # Without `allow read /proc`, what base grants: the command's own /proc/self (not its
    # children's), in the pid namespace's /proc, where /proc/self names another pid than for nono.
    as "$user" 0 "its own /proc/self under python-agent" -- "$NONO" exec --profile python-agent --param "workspace=$ws" -- \
        cat /proc/self/status /proc/thread-self/status

    # ---- a write grant below a deny below a write grant: bound read-write again -------------
    # With the workspace at HOME, base denies writing ~/.cache/nono-sandbox, where node grants
    # the profile its own caches: those stay writable, another profile's do not.
    other=$home/.cache/nono-sandbox/other-profile/npm
    mkdir -p "$other"
    [[ $user == nobody ]] && chown -R nobody:nogroup "$home/.cache"
    as "$user" 0 "control: another profile's cache is writable unsandboxed" -- sh -c "echo x > $other/planted"
    at_home=("$NONO" exec -q --profile node-agent --param "workspace=$home" --)
    as "$user" 0 "the profile's own cache, with the workspace at HOME" -- "${at_home[@]}" \
        sh -c 'echo x > "$npm_config_cache/own" && cat "$npm_config_cache/own"'
    output_has "the profile's own cache is written" "^x$"
    as "$user" nonzero "another profile's cache, with the workspace at HOME" -- "${at_home[@]}" sh -c "echo y >> $other/planted"
    refused_write "another profile's cache, with the workspace at HOME"
    as "$user" 0 "--dry-run, with the workspace at HOME" -- "${at_home[@]/-q/--dry-run}" true
    output_has "--dry-run names the bind on top" "read-write: $home/.cache/nono-sandbox/node-agent/npm (write grant below a read-only bind)"

    # ---- what --dry-run says ----------------------------------------------------------------
    as "$user" 0 "--dry-run" -- "$NONO" exec --profile "$profile" --param "workspace=$ws" --dry-run -- true
    output_has "--dry-run names the mode" "^namespaces: user"
    output_has "--dry-run names the hooks' bind" "read-only: $ws/.git/hooks (git repository)"
    output_has "--dry-run names the nested repository's config" "read-only: $ws/lib/nested/.git/config"
    output_has "--dry-run names the submodule's hooks" "read-only: $ws/.git/modules/sub/hooks"
    output_has "--dry-run names what it hides" "hidden: $home/.ssh (denied"
    # A write grant that sorts before the workspace, with more directories than the search's
    # budget: the workspace, where the command starts, is searched first all the same.
    mkdir -p "$home/a-big-cache/"{1..30}/{1..20}
    printf 'profile big-cache extends python-agent {
  allow read,write ~/a-big-cache
}
' >"$work/big-cache.nono"
    as "$user" 0 "--dry-run with a large write grant" -- "$NONO" exec --profile "$work/big-cache.nono" --param "workspace=$ws" --dry-run -- true
    output_has "the budget is spent" "stopped after"
    output_has "the workspace's hooks are bound all the same" "read-only: $ws/.git/hooks (git repository)"
    as "$user" 0 "a run with a large write grant" -- "$NONO" exec --profile "$work/big-cache.nono" --param "workspace=$ws" -- true
    output_has "a run says the search stopped" "search for git repositories in the write grants stopped at its budget"
    # Deep trees in the workspace, each more than the budget: the shallower directories are
    # searched first, so the nested repository is found whatever order they are listed in.
    for tree in deps-a deps-b deps-c deps-d; do mkdir -p "$ws/$tree/"{1..25}/{1..25}; done
    as "$user" 0 "--dry-run with deep trees in the workspace" -- "$NONO" exec --profile "$profile" --param "workspace=$ws" --dry-run -- true
    output_has "the nested repository is found before the deep trees" "read-only: $ws/lib/nested/.git/hooks (git repository)"
    rm -rf "$ws"/deps-?
done

# ---- without namespaces: said, and refused unless --allow-weaker ---------------------------
plant root
set_sandbox
without=("$NONO_TEST_HELPERS/with_syscalls_failing" namespaces)
as root 0 "--dry-run without namespaces" -- "${without[@]}" "$NONO" exec --profile "$profile" --param "workspace=$ws" --dry-run -- true
output_has "--dry-run says there are none" "^namespaces: none"
output_has "--dry-run says what is weaker" "weaker than the profile: without a user namespace"
as root 125 "a run without namespaces and without --allow-weaker" -- "${without[@]}" "${sandbox[@]}" touch ran
output_has "the refusal names what is weaker" "without a user namespace"
[[ ! -e $ws/ran ]] || fail "the command ran although nono refused"
as root 0 "a run without namespaces with --allow-weaker" -- "${without[@]}" "$NONO" exec --allow-weaker --profile "$profile" \
    --param "workspace=$ws" -- touch ran

# ---- without namespaces: metadata mediated by the supervisor -------------------------------
# Inside the write grants chmod, touch and git's own chmods work; outside, refused even for
# the owner, where the unsandboxed control works.
for user in root nobody; do
    plant "$user"
    weaker=("${without[@]}" "$NONO" exec --allow-weaker --profile "$profile" --param "workspace=$ws" --)
    as "$user" 0 "--dry-run without namespaces" -- "${without[@]}" "$NONO" exec --profile "$profile" --param "workspace=$ws" --dry-run -- true
    output_has "--dry-run says metadata is mediated" "^metadata (chmod, chown, utimes, xattrs, inode flags): mediated by the supervisor"
    as "$user" 0 "git init, add and commit without namespaces" -- "${weaker[@]}" \
        sh -c 'git init -q && echo hello > top.txt && git add top.txt && git commit -q -m first && git log --format=%s'
    output_has "the commit is made" "^first"
    as "$user" 0 "chmod +x, touch and an xattr inside the write grant without namespaces" -- "${weaker[@]}" \
        sh -c 'echo "#!/bin/sh" > run.sh && chmod +x run.sh && ./run.sh && touch -d 2001-01-01 top.txt &&
               python3 -c "import os; os.setxattr(\"top.txt\", \"user.t\", b\"1\"); print(os.getxattr(\"top.txt\", \"user.t\"))" &&
               ls -l --time-style=+%Y run.sh top.txt'
    output_has "chmod +x took" "^-rwx"
    output_has "touch -d took" " 2001 top.txt"
    output_has "the xattr took" "b'1'"
    as "$user" 0 "chattr +d (FS_IOC_SETFLAGS) inside the write grant without namespaces" -- "${weaker[@]}" \
        sh -c 'chattr +d top.txt && lsattr top.txt'
    output_has "chattr +d took" "^------d"
    as "$user" 0 "control: chmod of ~/notes.txt unsandboxed" -- chmod 0600 "$home/notes.txt"
    as "$user" nonzero "chmod of ~/notes.txt without namespaces" -- "${weaker[@]}" chmod 0666 "$home/notes.txt"
    output_has "chmod of ~/notes.txt is refused" "Operation not permitted"
    [[ $(stat -c %a "$home/notes.txt") == 600 ]] || fail "the mode of ~/notes.txt changed (as $user)"
    as "$user" nonzero "touch of ~/notes.txt's times without namespaces" -- "${weaker[@]}" touch -c -d 2001-01-01 "$home/notes.txt"
    [[ $(stat -c %Y "$home/notes.txt") -gt 1000000000 && $(date -r "$home/notes.txt" +%Y) != 2001 ]] ||
        fail "the times of ~/notes.txt changed (as $user)"
done

# ---- without namespaces, the network and metadata through the one listener -----------------
# The kernel gives a filter tree one seccomp listener: a profile that names peers gets its
# connects and its chmods decided by the same mediation, in the same run.
plant root
printf 'profile ns-net extends python-agent {\n  allow read /proc\n  allow loopback\n}\n' >"$work/ns-net.nono"
as root 0 "loopback and chmod in one run without namespaces" -- "${without[@]}" "$NONO" exec --allow-weaker \
    --profile "$work/ns-net.nono" --param "workspace=$ws" -- python3 -c "
import os, socket
server = socket.socket(); server.bind(('127.0.0.1', 0)); server.listen(1)
socket.create_connection(server.getsockname()).close(); print('loopback connected')
open('top.txt', 'w').close(); os.chmod('top.txt', 0o700); print('chmod inside', oct(os.stat('top.txt').st_mode & 0o777))
try:
    os.chmod('$home/notes.txt', 0o666); print('chmod outside took')
except PermissionError:
    print('chmod outside refused')
"
output_has "loopback is mediated" "^loopback connected"
output_has "chmod inside works" "^chmod inside 0o700"
output_has "chmod outside is refused" "^chmod outside refused"

# ---- without namespaces and without the mediation: said, and refused unless --allow-weaker ---
plant root
without_mediation=("${without[@]}" "$NONO_TEST_HELPERS/with_syscalls_failing" pidfd_getfd)
as root 0 "--dry-run without namespaces and pidfd_getfd" -- "${without_mediation[@]}" "$NONO" exec --profile "$profile" \
    --param "workspace=$ws" --dry-run -- true
output_has "--dry-run says metadata is not refused" "^metadata (chmod, chown, utimes, xattrs, inode flags): not refused: this machine cannot mediate"
as root 125 "a run without namespaces and mediation, without --allow-weaker" -- "${without_mediation[@]}" "${sandbox[@]}" true
output_has "the refusal names the metadata" "with no mediation here (pidfd_getfd is refused"
as root 0 "the same with --allow-weaker" -- "${without_mediation[@]}" "$NONO" exec --allow-weaker --profile "$profile" \
    --param "workspace=$ws" -- chmod 0644 "$home/notes.txt"

if [[ $failures -ne 0 ]]; then
    echo "namespaces: $failures failures"
    exit 1
fi
echo "namespaces: all passed"
