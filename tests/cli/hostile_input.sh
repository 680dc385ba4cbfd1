#!/usr/bin/env bash
# Hostile input and hostile environments (issue 8), one table row each: huge files, deep
# nesting, a million statements, NUL bytes and invalid UTF-8, 5,000-byte paths, ports out of
# range, extends cycles, unreadable profiles, a bad HOME, a vanished working directory, a
# kernel without Landlock, a seccomp filter that cannot be installed.
#
# A row that must be refused gets: a clear message (stderr names the problem; each row has a
# pattern of the words that would), a non-zero exit (1 from `nonoc check`, 125 from `nono
# exec`), no crash, no hang, and the command is never started: it would create a marker
# file, which must not exist.
# A control run first shows that the same command under a sound profile does create the
# marker, so its absence later means something.
#
# Environment: NONO, NONOC, NONO_TEST_HELPERS (the escape suite's build folder).
set -uo pipefail
: "${NONO:?}" "${NONOC:?}" "${NONO_TEST_HELPERS:?}"

SUITE="hostile input"
source "$(dirname "$0")/../support/suite.sh"
if ! "$NONO" --help 2>/dev/null | grep -Eq '^ +exec( |$)' ||
    ! "$NONOC" --help 2>/dev/null | grep -Eq '^ +check( |$)'; then
    cannot_run "this build has no 'nono exec' or 'nonoc check'"
fi

scratch=$(mktemp -d /tmp/nono-hostile.XXXXXX)
trap 'chmod -R u+rwx "$scratch"; rm -rf "$scratch"' EXIT
export HOME=$scratch/home TMPDIR=$scratch/tmp
work=$scratch/work
marker=$work/out/started  # not at the workspace's top, where base's carve-outs refuse new files
mkdir -p "$HOME" "$TMPDIR" "$work/out"
ulimit -c 0
# Hostile input must not take the machine down with it: 4 GiB of address space is far more
# than any row needs, and running out must end in a message, not the OOM killer. Sanitizer
# builds reserve terabytes of shadow address space, so they run unbounded.
if ! grep -q __asan_init "$NONO" "$NONOC"; then
    ulimit -v $((4 << 20))
fi
failures=0
fail() {
    echo "FAIL  $*"
    failures=$((failures + 1))
}

# A profile under which /usr/bin/touch can create the marker: the control.
sound=$scratch/sound.nono
printf "profile sound extends base {\n  allow read,write \$CWD\n}\n" >"$sound"

# Runs PREFIX... nono exec --profile PROFILE -- touch MARKER in the workspace; sets STATUS, ERR.
run_nono() {
    local profile=$1
    shift
    rm -f "$marker"
    (cd "$work" && timeout 30 "$@" "$NONO" exec --profile "$profile" -- /usr/bin/touch "$marker") \
        </dev/null >/dev/null 2>"$scratch/stderr"
    STATUS=$?
    ERR=$(tr -d '\0' <"$scratch/stderr")  # a diagnostic may echo the NUL byte it names
}

# The checks every refusal must pass: exit code, message, no marker.
check_refused() {
    local name=$1 tool=$2 want_status=$3 pattern=$4
    local first=${ERR%%$'\n'*}
    if [[ $STATUS -eq 124 ]]; then
        fail "$name ($tool): hung (killed after 30 s)"
    elif [[ $STATUS -ge 128 ]]; then
        fail "$name ($tool): crashed with signal $((STATUS - 128))"
    elif [[ $STATUS -ne $want_status ]]; then
        fail "$name ($tool): exit $STATUS, want $want_status: ${first:0:200}"
    elif ! grep -Eqi -- "$pattern" <<<"$ERR"; then
        fail "$name ($tool): the message does not say what is wrong (want /$pattern/): ${first:0:200}"
    elif [[ -e $marker ]]; then
        fail "$name ($tool): exit $STATUS but the command ran"
    else
        echo "ok    $name ($tool): ${first:0:160}"
    fi
}

# A profile file that must be refused by the compiler and by the runtime.
refuse_profile() {
    local name=$1 file=$2 pattern=$3
    timeout 30 "$NONOC" check "$file" </dev/null >/dev/null 2>"$scratch/stderr"
    STATUS=$?
    ERR=$(tr -d '\0' <"$scratch/stderr")  # a diagnostic may echo the NUL byte it names
    rm -f "$marker"
    check_refused "$name" "nonoc check" 1 "$pattern"
    run_nono "$file"
    check_refused "$name" "nono exec" 125 "$pattern"
}

# A sound profile in a hostile environment: PREFIX... is env settings or a wrapper.
refuse_environment() {
    local name=$1 pattern=$2
    shift 2
    run_nono "$sound" "$@"
    check_refused "$name" "nono exec" 125 "$pattern"
}

# ---- Control ---------------------------------------------------------------------------------
run_nono "$sound"
if [[ $STATUS -ne 0 || ! -e $marker ]]; then
    echo "FAIL  control: the sound profile must run the command (exit $STATUS): ${ERR:0:300}"
    echo "hostile input: without a working control the no-marker checks prove nothing"
    exit 1
fi
echo "ok    control: the command runs under the sound profile and creates the marker"

# ---- Files: size, depth, count ---------------------------------------------------------------
# Each ends in one misspelled access word, so the whole file must be read and the error found.
big=$scratch/huge.nono
{
    echo 'profile huge extends base {'
    yes '  # a comment line that pads the profile to a size nobody writes by hand' | head -c $((64 << 20))
    echo
    echo '  allow raed /usr'
    echo '}'
} >"$big"
refuse_profile "64 MiB profile" "$big" 'raed|too large'

deep=$scratch/deep.nono
{
    echo 'profile deep extends base {'
    yes 'on linux {' | head -n 100000
} >"$deep"
refuse_profile "100,000 nested blocks" "$deep" 'nest|deep|on linux|expected|unexpected|\}'

# The shortest statement, so that a million of them stay under the file-size limit.
many=$scratch/many.nono
{
    echo 'profile many extends base {'
    yes 'allow udp' | head -n 1000000
    echo '  allow raed /usr'
    echo '}'
} >"$many"
refuse_profile "a million statements" "$many" 'raed|too many statements'


# ---- Bytes in paths --------------------------------------------------------------------------
printf 'profile nul extends base {\n  allow read "/tmp/a\0b"\n}\n' >"$scratch/nul-quoted.nono"
refuse_profile "NUL byte in a quoted path" "$scratch/nul-quoted.nono" 'NUL|\\0|null|byte'
printf 'profile nul extends base {\n  allow read /tmp/a\0b\n}\n' >"$scratch/nul-bare.nono"
refuse_profile "NUL byte in a bare path" "$scratch/nul-bare.nono" 'NUL|\\0|null|byte'
printf 'profile utf extends base {\n  allow r\xff\xfead /tmp\n}\n' >"$scratch/utf-keyword.nono"
refuse_profile "invalid UTF-8 in an access word" "$scratch/utf-keyword.nono" 'access|expected|unknown|UTF'
printf 'profile utf extends base {\n  allow raed "/tmp/\xff\xfe"\n}\n' >"$scratch/utf-error-line.nono"
refuse_profile "invalid UTF-8 on the line of an error" "$scratch/utf-error-line.nono" 'raed|access|expected'

# Any byte but NUL is a valid Linux path: invalid UTF-8 in a path is accepted (only the
# SBPL target refuses it), so this row must run, sandboxed, and not trip anything.
printf "profile utf extends base {\n  allow read,write \$CWD\n  allow read \"/tmp/\xff\xfe\"\n}\n" >"$scratch/utf-path.nono"
run_nono "$scratch/utf-path.nono"
if [[ $STATUS -eq 0 && -e $marker ]]; then
    echo "ok    invalid UTF-8 in a path (nono exec): accepted on Linux, the command ran"
else
    fail "invalid UTF-8 in a path (nono exec): a valid Linux path was refused (exit $STATUS): ${ERR:0:200}"
fi

# The kernel takes no path of PATH_MAX (4,096) bytes or more: nono can neither open it for a
# rule nor prove it absent, so it must say so instead of guessing.
long=/$(printf 'a%.0s' $(seq 4999))
printf 'profile long extends base {\n  deny read %s\n}\n' "$long" >"$scratch/long-path.nono"
refuse_profile "a 5,000-byte path" "$scratch/long-path.nono" 'long|PATH_MAX|4096|4,096|length'

# ---- Ports -----------------------------------------------------------------------------------
for port in 0 65536 70000 99999999999999999999 -1 443-80 80-; do
    printf 'profile ports extends base {\n  allow connect tcp %s\n}\n' "$port" >"$scratch/port.nono"
    refuse_profile "port $port" "$scratch/port.nono" 'port|range|65535|expected'
done

# ---- extends ---------------------------------------------------------------------------------
mkdir -p "$scratch/cycle"
printf 'profile cycle-a extends cycle-b {\n}\n' >"$scratch/cycle/cycle-a.nono"
printf 'profile cycle-b extends cycle-a {\n}\n' >"$scratch/cycle/cycle-b.nono"
refuse_profile "extends cycle a → b → a" "$scratch/cycle/cycle-a.nono" 'cycle|circular|itself'
printf 'profile cycle-self extends cycle-self {\n}\n' >"$scratch/cycle/cycle-self.nono"
refuse_profile "a profile extending itself" "$scratch/cycle/cycle-self.nono" 'cycle|circular|itself'

# ---- Profiles that cannot be read ------------------------------------------------------------
refuse_profile "a profile that does not exist" "$scratch/absent.nono" 'exist|no such|not found|read|open'
mkdir -p "$scratch/dir.nono"
refuse_profile "a directory as the profile" "$scratch/dir.nono" 'directory|regular|read'
refuse_profile "an endless device as the profile" /dev/zero 'regular|too (large|big)|size|read|device'
cp "$sound" "$scratch/unreadable.nono"
chmod 000 "$scratch/unreadable.nono"
if [[ $EUID -eq 0 ]]; then
    # Root reads anything: drop to nobody for this row (the workspace is theirs for the marker).
    chmod 0777 "$scratch" "$work" "$work/out"
    run_nono "$scratch/unreadable.nono" setpriv --reuid=65534 --regid=65534 --clear-groups
else
    run_nono "$scratch/unreadable.nono"
fi
check_refused "a profile without read permission" "nono exec" 125 'permission|denied|read|open'

# ---- Environment -----------------------------------------------------------------------------
refuse_environment "HOME unset" 'HOME' env -u HOME
refuse_environment "HOME empty" 'HOME' env HOME=
refuse_environment "HOME relative" 'HOME' env HOME=relative/home

vanished=$scratch/vanished
mkdir -p "$vanished"
rm -f "$marker"
(cd "$vanished" && rmdir "$vanished" && timeout 30 "$NONO" exec --profile "$sound" -- /usr/bin/touch "$marker") \
    </dev/null >/dev/null 2>"$scratch/stderr"
STATUS=$?
ERR=$(tr -d '\0' <"$scratch/stderr")  # a diagnostic may echo the NUL byte it names
check_refused "the working directory was removed" "nono exec" 125 'directory|cwd|workdir|working'
rm -f "$marker"
(cd "$work" && timeout 30 "$NONO" exec --workdir "$scratch/absent-dir" --profile "$sound" -- /usr/bin/touch "$marker") \
    </dev/null >/dev/null 2>"$scratch/stderr"
STATUS=$?
ERR=$(tr -d '\0' <"$scratch/stderr")  # a diagnostic may echo the NUL byte it names
check_refused "--workdir that does not exist" "nono exec" 125 'directory|workdir|exist'

# ---- Kernel ----------------------------------------------------------------------------------
refuse_environment "a kernel without Landlock" 'landlock' "$NONO_TEST_HELPERS/with_syscalls_failing" landlock
refuse_environment "a seccomp filter that cannot be installed" 'seccomp|filter' \
    "$NONO_TEST_HELPERS/with_syscalls_failing" seccomp

# An artifact is for other machines: the compiling kernel's Landlock (here: none) changes
# nothing in it, while nono, which enforces on this kernel, refuses to run (above).
without_landlock=("$NONO_TEST_HELPERS/with_syscalls_failing" landlock)
for target in landlock plan; do
    rm -rf "$scratch/art-here" "$scratch/art-none"
    "$NONOC" compile python-agent --target "$target" -o "$scratch/art-here" >/dev/null 2>"$scratch/stderr"
    here=$?
    "${without_landlock[@]}" "$NONOC" compile python-agent --target "$target" -o "$scratch/art-none" \
        >/dev/null 2>>"$scratch/stderr"
    none=$?
    if ((here != 0 || none != 0)); then
        fail "nonoc compile --target $target on a kernel without Landlock: exit $here here, $none there: $(head -c 200 "$scratch/stderr")"
    elif ! diff -r "$scratch/art-here" "$scratch/art-none" >/dev/null; then
        fail "nonoc compile --target $target on a kernel without Landlock wrote other bytes than here"
    else
        echo "ok    nonoc compile --target $target on a kernel without Landlock: the same bytes as here"
    fi
done

echo "hostile input: $failures failures"
[[ $failures -eq 0 ]]
