#!/usr/bin/env bash
# The escape suite's runner (a ctest): every probe in tests/escape/ (see probe.h) is run, for
# each user in USERS (root, and nobody through setpriv; as nobody a probe that cannot escape
# even unsandboxed is named as needing root, and must still be refused sandboxed),
#   1. unsandboxed, as root: it must ESCAPE (exit 1), which proves the attack works on this
#      machine. Nothing here lists what a kernel offers: a probe refused unsandboxed with an
#      errno that says the kernel lacks the feature (NOT_OFFERED below: no i386 entry, no
#      x32 ABI, no SCTP, …) is named as not checked here, in the suite's last line and in
#      the run's (tests/support/suite.sh); refused with any other errno, the probe is broken;
#   2. under `nono exec --profile P` for each profile in PROFILES and each mode in MODES: it
#      must be refused (exit 0 with the errno, or death by SIGSYS where the profile kills),
#      unless the profile allows exactly that (ALLOWED_BY below, with the statement that
#      allows it). The modes: `namespaces` runs nono as it is, and first checks that the
#      sandbox really is in user, mount, pid, ipc and uts namespaces of its own;
#      `no-namespaces` runs it under with_syscalls_failing, which refuses every new
#      namespace, as a container's seccomp profile or a distribution that restricts user
#      namespaces does, and first checks that the sandbox shares the caller's. nono runs
#      there only with --allow-weaker (it reports what only namespaces enforce), and what
#      only namespaces enforce (WEAKER_WITHOUT_NAMESPACES below) may escape, only after nono
#      named it as weaker.
# Each run gets a fresh throw-away HOME with planted secrets, a workspace (~/project, a git
# repository), its own TMPDIR, and works in ~/project/src. The fixtures outside the sandbox (listening sockets, a process to signal,
# a FIFO being read) are set up here and handed to the probes by argument. As root the
# suite runs in private network and UTS namespaces, so nothing leaves loopback,
# ping_group_range can be opened, and the probes that set the hostname or a device's flags
# change nothing outside. A probe that outlives its deadline fails by name.
#
# Environment: NONO, ESCAPE_BIN (the built probes), ESCAPE_PROBES (their names), and
# ESCAPE_EXPECT_NOT_OFFERED (probes a wrapper made impossible: they must be reported so,
# which proves the wrapper's simulation took effect).
# Exit: 0 all good, 1 a failure (an escape, a broken probe, a hang); when the suite cannot
# run (not root), 77 (skipped), or 1 in CI.
set -uo pipefail
: "${NONO:?}" "${ESCAPE_BIN:?}" "${ESCAPE_PROBES:?}" "${NONO_REPO:?}"
SUITE="escape suite"
source "$NONO_REPO/tests/support/suite.sh"

PROFILES=(strict python-agent)
MODES=(namespaces no-namespaces)
USERS=(root nobody)
PORT=47123                        # allowed by no profile: the "denied port"
ABSTRACT=nono-escape-target
DEADLINE=20                       # seconds a probe may take, sandboxed or not

# The errnos with which a kernel says it does not have a feature at all (not that it refuses
# this caller): a probe refused so unsandboxed has nothing to prove on this machine.
NOT_OFFERED='^refused (ENOSYS|EPROTONOSUPPORT|EAFNOSUPPORT|ESOCKTNOSUPPORT|EOPNOTSUPP):'
# What a profile allows on purpose: "profile:probe" → the statement that allows it. The probe
# must then succeed under that profile (otherwise the entry is stale and the suite fails).
declare -A ALLOWED_BY=(
    [python-agent:net_udp]="allow udp, from https.nono: DNS"
)
# What a run without namespaces does not enforce: "probe" → what nono's weaker report says.
# In the no-namespaces mode such a probe must escape, and nono must have printed that line
# (a stale entry, a probe refused there anyway, fails the suite).
declare -A WEAKER_WITHOUT_NAMESPACES=(
    [git_hooks_write]=".git/hooks and .git/config in write grants stay writable"
    [meta_stat_denied]="the names, sizes and times of denied paths can be looked up"
    [meta_watch_denied]="the names, sizes and times of denied paths can be looked up"
)
# What a probe cannot tell in the mode without namespaces: "probe" → why. It is named as not
# checked there, never passed; an escape still fails the suite.
declare -A UNTESTABLE_WITHOUT_NAMESPACES=(
    [sys_unknown]="its witness is a seccomp listener of its own, and the kernel gives a filter tree only one, which the supervisor's mediation holds there (the profile's filter that refuses the numbers is the same in both modes)"
)

if [[ $EUID -ne 0 ]]; then
    cannot_run "it needs root (raw sockets, open_by_handle_at, mknod, bpf and ptrace of the" \
        "parent only succeed unsandboxed for root, and every probe must first succeed)"
fi
if [[ -z ${ESCAPE_IN_NETNS:-} ]]; then
    exec unshare --net --uts env ESCAPE_IN_NETNS=1 bash "$0" "$@"
fi
ip link set lo up
echo "0 2147483647" >/proc/sys/net/ipv4/ping_group_range
ulimit -c 0

scratch=$(mktemp -d /tmp/nono-escape.XXXXXX)
chmod 755 "$scratch"  # nobody's runs reach their home and profiles through it
DGRAM=$scratch/log.sock
"$ESCAPE_BIN/fixture_target" "$PORT" "$ABSTRACT" "$DGRAM" >"$scratch/target.out" &
target_pid=$!
# A SysV shared memory segment of a program outside the sandbox.
shm_id=$(ipcmk -M 4096 | grep -o '[0-9]*$')
trap 'kill "$target_pid" 2>/dev/null; ipcrm -m "$shm_id"; rm -rf "$scratch"' EXIT
for _ in $(seq 50); do
    [[ -s $scratch/target.out ]] && break
    sleep 0.05
done
[[ $(cat "$scratch/target.out") == ready ]] || { echo "escape suite: the fixture target did not start"; exit 1; }
chmod 666 "$DGRAM"  # so that nobody's unsandboxed run reaches it too
# The no-namespaces mode tests something only if its wrapper really refuses namespaces.
if "$ESCAPE_BIN/with_syscalls_failing" namespaces unshare --user true 2>/dev/null; then
    echo "escape suite: with_syscalls_failing namespaces let unshare --user through"
    exit 1
fi

# A profile per built-in one, that also lets the probes themselves be read and executed
# (they live in the build tree, which no real profile allows), and read one file of the
# user's outside the write grants (~/readable, for meta_fchmod): nothing else is added.
mkdir -p "$scratch/profiles"
for profile in "${PROFILES[@]}"; do
    printf 'profile escape-%s extends %s {\n  allow read,exec "%s"\n  allow read "%s"\n}\n' \
        "$profile" "$profile" "$ESCAPE_BIN" "$scratch/home/readable" >"$scratch/profiles/escape-$profile.nono"
done

# A fresh HOME for every run: the unsandboxed runs really do move, truncate and link things.
plant_home() {
    HOME_DIR=$scratch/home
    TMP_DIR=$scratch/tmp
    rm -rf "$HOME_DIR" "$TMP_DIR"
    mkdir -p "$HOME_DIR/.ssh" "$HOME_DIR/project/src" "$HOME_DIR/project/.git/hooks" "$TMP_DIR"
    echo "-----BEGIN OPENSSH PRIVATE KEY----- planted by the escape suite" >"$HOME_DIR/.ssh/id_rsa"
    echo "export PATH=/usr/bin:/bin" >"$HOME_DIR/.bashrc"
    echo "readable, not writable, under the escape profiles" >"$HOME_DIR/readable"
    printf '[core]\n\trepositoryformatversion = 0\n' >"$HOME_DIR/project/.git/config"
    echo "ref: refs/heads/main" >"$HOME_DIR/project/.git/HEAD"
    mkfifo "$HOME_DIR/.cmdpipe"
    ln -s .bashrc "$HOME_DIR/.profile-link"
    # Root's own file outside every grant, as /usr/bin's are (nobody's runs cannot touch it).
    ROOT_FILE=$scratch/root-owned
    rm -f "$ROOT_FILE"
    echo "#!/bin/sh" >"$ROOT_FILE"
    chmod 0755 "$ROOT_FILE"
    SECRET=$HOME_DIR/.ssh/id_rsa
    WORKSPACE=$HOME_DIR/project
    [[ $1 == nobody ]] && chown -R nobody: "$HOME_DIR" "$TMP_DIR"
}

probe_args() {
    case $1 in
        fs_symlink | fs_hardlink | fs_proc_fd | fs_proc_root | fs_open_by_handle) ARGS=("$SECRET") ;;
        meta_chmod | meta_utimes | meta_xattr | meta_fchownat | meta_utimensat_opath | \
            meta_setxattrat | meta_file_setattr | meta_stat_denied | meta_watch_denied) ARGS=("$SECRET") ;;
        # The race needs its target's mode seen from inside: a file outside the write grants
        # that the profile does not deny (a denied one is hidden in the namespace mode).
        meta_setflags | meta_symlink_swap) ARGS=("$HOME_DIR/readable") ;;
        meta_lchown) ARGS=("$HOME_DIR/.profile-link") ;;
        meta_chmod_root | meta_setuid_root) ARGS=("$ROOT_FILE") ;;
        meta_fchmod) ARGS=("$HOME_DIR/readable") ;;
        git_hooks_write) ARGS=("$WORKSPACE/.git/hooks") ;;
        fs_rename_refer) ARGS=("$HOME_DIR/.ssh" "$WORKSPACE/src/ssh" "$WORKSPACE/src/ssh/id_rsa") ;;
        fs_openat2) ARGS=("$HOME_DIR/.ssh" id_rsa) ;;
        write_truncate | cap_chown | cap_setcap | setuid_chmod) ARGS=("$HOME_DIR/.bashrc") ;;
        write_fifo) ARGS=("$HOME_DIR/.cmdpipe") ;;
        exec_writable) ARGS=("$TMP_DIR") ;;
        net_udp | net_mptcp | net_ipv6 | net_inherited_connect) ARGS=("$PORT") ;;
        signal_outside | pid_prlimit | pid_setpriority | pid_affinity | pid_pidfd_open | pid_kcmp | proc_cmdline)
            ARGS=("$target_pid") ;;
        ipc_shm) ARGS=("$shm_id") ;;
        unix_dgram_pair) ARGS=("$DGRAM") ;;
        abstract_unix) ARGS=("$ABSTRACT") ;;
        fd_inherited) ARGS=(3) ;;
        *) ARGS=() ;;
    esac
}

# Fixtures that must wrap the whole command line, nono included: what a program inherits.
probe_wrapper() {
    case $1 in
        net_inherited_connect) WRAP=("$ESCAPE_BIN/with_socket_stdin") ;;
        tiocsti) WRAP=("$ESCAPE_BIN/with_pty") ;;
        *) WRAP=() ;;
    esac
}

# Runs one probe as USER, unsandboxed (PROFILE empty) or under a profile in MODE; sets
# STATUS and LINE.
run_probe() {
    local probe=$1 user=$2 profile=$3 mode=$4
    plant_home "$user"
    probe_args "$probe"
    probe_wrapper "$probe"
    local as_user=() sandbox=()
    [[ $user == nobody ]] && as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
    [[ $mode == no-namespaces ]] && sandbox=("$ESCAPE_BIN/with_syscalls_failing" namespaces)
    [[ -n $profile ]] && sandbox+=("$NONO" exec --profile "$scratch/profiles/escape-$profile.nono"
        --param "workspace=$WORKSPACE")
    [[ -n $profile && $mode == no-namespaces ]] && sandbox+=(--allow-weaker)
    [[ -n $profile ]] && sandbox+=(--)
    # The FIFO's reader outside the sandbox, held open for the duration of the run; and for
    # fd_inherited, the secret opened outside and inherited as descriptor 3.
    exec 9<>"$HOME_DIR/.cmdpipe"
    [[ $probe == fd_inherited ]] && exec 3<"$SECRET"
    LINE=$(cd "$WORKSPACE/src" && env HOME="$HOME_DIR" TMPDIR="$TMP_DIR" NONO_PROFILE_PATH="$scratch/profiles" \
        timeout "$DEADLINE" "${WRAP[@]}" "${as_user[@]}" "${sandbox[@]}" "$ESCAPE_BIN/$probe" "${ARGS[@]}" 2>"$scratch/stderr" </dev/null)
    STATUS=$?
    exec 9>&- 3<&-
    LINE=${LINE:-$(head -c 300 "$scratch/stderr" | tr '\n' ' ')}
}

failures=0
fail() {
    echo "FAIL  $*"
    failures=$((failures + 1))
}

# The namespaces a process run as USER (under nono in MODE, or not) is in, one a line.
namespaces_of() {
    local user=$1 mode=$2 as_user=() sandbox=()
    plant_home "$user"
    [[ $user == nobody ]] && as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
    [[ $mode == no-namespaces ]] && sandbox=("$ESCAPE_BIN/with_syscalls_failing" namespaces)
    [[ -n $mode ]] && sandbox+=("$NONO" exec --profile "$scratch/profiles/escape-strict.nono"
        --param "workspace=$WORKSPACE" --allow-weaker --)
    (cd "$WORKSPACE/src" && env HOME="$HOME_DIR" TMPDIR="$TMP_DIR" NONO_PROFILE_PATH="$scratch/profiles" \
        timeout "$DEADLINE" "${as_user[@]}" "${sandbox[@]}" "$ESCAPE_BIN/fixture_namespaces" </dev/null 2>"$scratch/stderr")
}
for user in "${USERS[@]}"; do
    outside=$(namespaces_of "$user" "")
    for mode in "${MODES[@]}"; do
        inside=$(namespaces_of "$user" "$mode")
        shared=$(comm -12 <(sort <<<"$outside") <(sort <<<"$inside") | tr '\n' ' ')
        if [[ $(wc -l <<<"$inside") -ne 5 ]]; then
            fail "the namespaces of a sandbox ($mode, $user) could not be read: $inside $(head -c 300 "$scratch/stderr")"
        elif [[ $mode == namespaces && -n $shared ]]; then
            fail "the sandbox ($mode, $user) shares these namespaces with its caller: $shared"
        elif [[ $mode == no-namespaces && $inside != "$outside" ]]; then
            fail "the sandbox ($mode, $user) has namespaces of its own although they were refused"
        else
            echo "ok    namespaces ($mode, $user): $([[ $mode == namespaces ]] && echo "all five its own" || echo "the caller's")"
        fi
    done
done

not_offered=()
needs_root=()
read -ra probes <<<"$ESCAPE_PROBES"
for user in "${USERS[@]}"; do
    for probe in "${probes[@]}"; do
        run_probe "$probe" "$user" "" ""
        if [[ $STATUS -eq 1 ]]; then
            echo "ok    $probe unsandboxed as $user: $LINE"
        elif [[ $STATUS -eq 0 && $LINE =~ $NOT_OFFERED ]]; then
            if [[ $user == root ]]; then
                not_checked "$probe: this kernel does not offer it ($LINE)"
                not_offered+=("$probe")
            fi
            continue
        elif [[ $STATUS -eq 124 ]]; then
            fail "$probe unsandboxed as $user: hung (killed after $DEADLINE s)"
            continue
        elif [[ $user != root && ($STATUS -eq 0 || $STATUS -eq 2) ]]; then
            echo "NEEDS ROOT  $probe: unsandboxed as $user it cannot escape either ($LINE)"
            needs_root+=("$probe")
        else
            fail "$probe is broken: unsandboxed as $user it must escape, got exit $STATUS: $LINE"
            continue
        fi
        for mode in "${MODES[@]}"; do
            for profile in "${PROFILES[@]}"; do
                run_probe "$probe" "$user" "$profile" "$mode"
                run="$probe under $profile ($mode, $user)"
                allowed=${ALLOWED_BY[$profile:$probe]:-}
                weaker=${WEAKER_WITHOUT_NAMESPACES[$probe]:-}
                if [[ $mode == no-namespaces && -n $weaker ]]; then
                    if [[ $STATUS -eq 1 ]] && grep -qF "$weaker" "$scratch/stderr"; then
                        echo "ok    $run: weaker without namespaces, and reported so ($weaker)"
                    else
                        fail "$run: WEAKER_WITHOUT_NAMESPACES says nono reports '$weaker' and the probe escapes; exit $STATUS: $LINE; nono said: $(head -c 300 "$scratch/stderr")"
                    fi
                    continue
                fi
                untestable=${UNTESTABLE_WITHOUT_NAMESPACES[$probe]:-}
                if [[ $mode == no-namespaces && -n $untestable && $STATUS -eq 2 && $LINE == *"Device or resource busy"* ]]; then
                    not_checked "$run: $untestable"
                    continue
                fi
                if [[ -n $allowed && $STATUS -eq 1 ]]; then
                    echo "ok    $run: allowed by the profile ($allowed)"
                    continue
                elif [[ -n $allowed && $user == root ]]; then
                    fail "$run: exit $STATUS, but ALLOWED_BY says '$allowed' allows it: $LINE"
                    continue
                fi
                case $STATUS in
                    0) echo "ok    $run: $LINE" ;;
                    159) echo "ok    $run: killed by the seccomp filter (SIGSYS)" ;;
                    1) fail "$run: ESCAPE: $LINE" ;;
                    2) if [[ $user == root ]]; then
                           fail "$run: the probe could not try: $LINE"
                       else
                           echo "ok    $run: as $user it cannot even set up ($LINE)"
                       fi ;;
                    124) fail "$run: hung (killed after $DEADLINE s)" ;;
                    125) fail "$run: nono refused to run it: $LINE" ;;
                    *) fail "$run: unexpected exit $STATUS: $LINE" ;;
                esac
            done
        done
    done
done

for probe in ${ESCAPE_EXPECT_NOT_OFFERED:-}; do
    [[ " ${not_offered[*]} " == *" $probe "* ]] ||
        fail "$probe: the wrapper should have made it impossible here, but it was not reported so"
done

echo "escape suite: ${#probes[@]} probes, ${#PROFILES[@]} profiles, ${#MODES[@]} modes, users ${USERS[*]}," \
    "$failures failures; not offered by this kernel, so not checked: ${not_offered[*]:-none};" \
    "need root to escape even unsandboxed: ${needs_root[*]:-none}"
[[ $failures -eq 0 ]]
