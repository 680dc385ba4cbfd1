# Sourced by the suites that run the same sandboxed checks as root and as nobody
# (tests/cli/namespaces.sh, tests/cli/protect.sh). Set SUITE and source suite.sh first; needs
# root (to drop to nobody) and user namespaces.
#
# Makes $work (below /var/tmp, not /tmp, which the sandbox sees as its private directory: the
# home must be seen), removed at exit, and $out; the caller sets $home and $ws before `as`.

unshare --user --map-current-user true 2>/dev/null ||
    cannot_run "this machine refuses user namespaces to the caller, so there is no namespace mode to test"
[[ $EUID -eq 0 ]] || cannot_run "it needs root, to run the same checks as nobody too"

work=$(mktemp -d "/var/tmp/nono-$SUITE.XXXXXX")
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
failures=0
out=$work/out
fail() { echo "FAIL: $1"; sed 's/^/  | /' "$out"; failures=$((failures + 1)); }

# as USER WANT DESCRIPTION -- CMD…: runs CMD as USER in the workspace $ws with HOME=$home,
# TMPDIR=$home/tmp and a git identity; expects exit status WANT (`nonzero`: any failure but
# nono's own 125).
as() {
    local user=$1 want=$2 what="$3 (as $1)"
    shift 4
    local drop=()
    [[ $user == nobody ]] && drop=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
    (cd "$ws" && env -i PATH=/usr/bin:/bin HOME="$home" TMPDIR="$home/tmp" GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t \
        GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t "${drop[@]}" "$@") >"$out" 2>&1 </dev/null
    local got=$?
    if [[ $want == nonzero ]]; then
        [[ $got -ne 0 && $got -ne 125 ]] || fail "$what: exit $got, expected a refusal by the command"
    elif [[ $got -ne $want ]]; then
        fail "$what: exit $got, expected $want"
    fi
}
output_has() { grep -q -- "$2" "$out" || fail "$1: output lacks '$2'"; }
refused_write() { grep -qE "Read-only file system|Permission denied|busy" "$out" || fail "$1: not refused by the kernel"; }
