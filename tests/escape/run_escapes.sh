#!/usr/bin/env bash
# The escape suite's runner (a ctest): every probe in tests/escape/ (see probe.h) is run
#   1. unsandboxed, as root: it must ESCAPE (exit 1), which proves the probe works, unless
#      this kernel cannot do the thing at all (IMPOSSIBLE below: reported, never hidden);
#   2. under `nono exec --profile P` for each profile in PROFILES: it must be refused
#      (exit 0 with the errno, or death by SIGSYS where the profile kills), unless the profile
#      allows exactly that (ALLOWED_BY below, with the statement that allows it).
# Each run gets a fresh throw-away HOME with planted secrets, a workspace (~/project), its own
# TMPDIR, and works in ~/project/src: new entries at the workspace's top are refused by the
# base profile's carve-outs (.git/hooks), which would stop the probes before the check
# they exist for. The fixtures outside the sandbox (listening sockets, a process to signal,
# a FIFO being read) are set up here and handed to the probes by argument. As root the
# suite runs in private network and UTS namespaces, so nothing leaves loopback,
# ping_group_range can be opened, and the probes that set the hostname or a device's flags
# change nothing outside.
#
# Environment: NONO, ESCAPE_BIN (the built probes), ESCAPE_PROBES (their names).
# Exit: 0 all good, 1 a failure (an escape, a broken probe, a stale table), 77 skipped (not
# root, or a nono without `exec`): ctest shows that as skipped, never as passed.
set -uo pipefail
: "${NONO:?}" "${ESCAPE_BIN:?}" "${ESCAPE_PROBES:?}"

PROFILES=(strict python-agent)
PORT=47123                        # allowed by no profile: the "denied port"
ABSTRACT=nono-escape-target

# Probes this kernel refuses even unsandboxed: probe → "ERRNO why". The unsandboxed run must
# fail with exactly that errno, so a probe that breaks for another reason still fails here.
declare -A IMPOSSIBLE=(
    [sys_x32]="ENOSYS this kernel is built without the x32 ABI (CONFIG_X86_X32_ABI)"
    [net_sctp]="EPROTONOSUPPORT this kernel has no SCTP (CONFIG_IP_SCTP)"
    [sys_i386]="ENOSYS this kernel has no i386 syscall entry (int 0x80 faults: IA32 emulation off or not offered by the hypervisor)"
)
# What a profile allows on purpose: "profile:probe" → the statement that allows it. The probe
# must then succeed under that profile (otherwise the entry is stale and the suite fails).
declare -A ALLOWED_BY=(
    [python-agent:net_udp]="allow udp, from https.nono: DNS"
)

if [[ $EUID -ne 0 ]]; then
    echo "escape suite: SKIPPED, it needs root (raw sockets, open_by_handle_at, mknod, bpf and"
    echo "ptrace of the parent only succeed unsandboxed for root, and every probe must first succeed)"
    exit 77
fi
if ! "$NONO" --help 2>/dev/null | grep -Eq '^ +exec( |$)'; then
    echo "escape suite: SKIPPED, this nono has no 'exec' command yet"
    exit 77
fi
if [[ -z ${ESCAPE_IN_NETNS:-} ]]; then
    exec unshare --net --uts env ESCAPE_IN_NETNS=1 bash "$0" "$@"
fi
ip link set lo up
echo "0 2147483647" >/proc/sys/net/ipv4/ping_group_range
ulimit -c 0

scratch=$(mktemp -d /tmp/nono-escape.XXXXXX)
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

# A profile per built-in one, that also lets the probes themselves be read and executed
# (they live in the build tree, which no real profile allows): nothing else is added.
mkdir -p "$scratch/profiles"
for profile in "${PROFILES[@]}"; do
    printf 'profile escape-%s extends %s {\n  allow read,exec "%s"\n}\n' \
        "$profile" "$profile" "$ESCAPE_BIN" >"$scratch/profiles/escape-$profile.nono"
done

# A fresh HOME for every run: the unsandboxed runs really do move, truncate and link things.
plant_home() {
    HOME_DIR=$scratch/home
    TMP_DIR=$scratch/tmp
    rm -rf "$HOME_DIR" "$TMP_DIR"
    mkdir -p "$HOME_DIR/.ssh" "$HOME_DIR/project/src" "$TMP_DIR"
    echo "-----BEGIN OPENSSH PRIVATE KEY----- planted by the escape suite" >"$HOME_DIR/.ssh/id_rsa"
    echo "export PATH=/usr/bin:/bin" >"$HOME_DIR/.bashrc"
    mkfifo "$HOME_DIR/.cmdpipe"
    SECRET=$HOME_DIR/.ssh/id_rsa
    WORKSPACE=$HOME_DIR/project
}

probe_args() {
    case $1 in
        fs_symlink | fs_hardlink | fs_proc_fd | fs_proc_root | fs_open_by_handle) ARGS=("$SECRET") ;;
        fs_rename_refer) ARGS=("$HOME_DIR/.ssh" "$WORKSPACE/src/ssh" "$WORKSPACE/src/ssh/id_rsa") ;;
        fs_openat2) ARGS=("$HOME_DIR/.ssh" id_rsa) ;;
        write_truncate | cap_chown | cap_setcap | setuid_chmod) ARGS=("$HOME_DIR/.bashrc") ;;
        write_fifo) ARGS=("$HOME_DIR/.cmdpipe") ;;
        exec_writable) ARGS=("$TMP_DIR") ;;
        net_udp | net_mptcp | net_ipv6 | net_inherited_connect) ARGS=("$PORT") ;;
        signal_outside | pid_prlimit | pid_setpriority | pid_affinity) ARGS=("$target_pid") ;;
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

# Runs one probe, unsandboxed or under a profile; sets STATUS and LINE.
run_probe() {
    local probe=$1 profile=$2
    plant_home
    probe_args "$probe"
    probe_wrapper "$probe"
    local sandbox=()
    [[ -n $profile ]] && sandbox=("$NONO" exec --profile "$scratch/profiles/escape-$profile.nono"
        --param "workspace=$WORKSPACE" --)
    # The FIFO's reader outside the sandbox, held open for the duration of the run; and for
    # fd_inherited, the secret opened outside and inherited as descriptor 3.
    exec 9<>"$HOME_DIR/.cmdpipe"
    [[ $probe == fd_inherited ]] && exec 3<"$SECRET"
    LINE=$(cd "$WORKSPACE/src" && env HOME="$HOME_DIR" TMPDIR="$TMP_DIR" NONO_PROFILE_PATH="$scratch/profiles" \
        timeout 20 "${WRAP[@]}" "${sandbox[@]}" "$ESCAPE_BIN/$probe" "${ARGS[@]}" 2>"$scratch/stderr" </dev/null)
    STATUS=$?
    exec 9>&- 3<&-
    LINE=${LINE:-$(head -c 300 "$scratch/stderr" | tr '\n' ' ')}
}

failures=0
fail() {
    echo "FAIL  $*"
    failures=$((failures + 1))
}

impossible_here=()
read -ra probes <<<"$ESCAPE_PROBES"
for probe in "${probes[@]}"; do
    run_probe "$probe" ""
    impossible=${IMPOSSIBLE[$probe]:-}
    if [[ $STATUS -eq 1 ]]; then
        [[ -n $impossible ]] && fail "$probe: listed as impossible here but it escaped unsandboxed; remove it from IMPOSSIBLE"
        echo "ok    $probe unsandboxed: $LINE"
    elif [[ -n $impossible && $STATUS -eq 0 && $LINE == "refused ${impossible%% *}:"* ]]; then
        echo "IMPOSSIBLE HERE  $probe: ${impossible#* } ($LINE)"
        impossible_here+=("$probe")
    else
        fail "$probe is broken: unsandboxed it must escape, got exit $STATUS: $LINE"
        continue
    fi
    for profile in "${PROFILES[@]}"; do
        run_probe "$probe" "$profile"
        allowed=${ALLOWED_BY[$profile:$probe]:-}
        if [[ -n $allowed ]]; then
            if [[ $STATUS -eq 1 ]]; then
                echo "ok    $probe under $profile: allowed by the profile ($allowed)"
            else
                fail "$probe under $profile: exit $STATUS, but ALLOWED_BY says '$allowed' allows it: $LINE"
            fi
            continue
        fi
        case $STATUS in
            0) echo "ok    $probe under $profile: $LINE" ;;
            159) echo "ok    $probe under $profile: killed by the seccomp filter (SIGSYS)" ;;
            1) fail "$probe under $profile: ESCAPE: $LINE" ;;
            2) fail "$probe under $profile: the probe could not try: $LINE" ;;
            124) fail "$probe under $profile: timed out" ;;
            125) fail "$probe under $profile: nono refused to run it: $LINE" ;;
            *) fail "$probe under $profile: unexpected exit $STATUS: $LINE" ;;
        esac
    done
done

echo "escape suite: ${#probes[@]} probes, ${#PROFILES[@]} profiles, $failures failures;" \
    "impossible on this machine: ${impossible_here[*]:-none}"
[[ $failures -eq 0 ]]
