# Sourced by the shell suites (tests/cli/*.sh, tests/escape/run_escapes.sh): how a suite says
# that it cannot run, or that a part of it was not checked on this machine. Set SUITE first.
#
# A suite that cannot run at all is skipped (exit 77, which ctest shows as skipped, never as
# passed) on a developer's machine, and fails in CI (CI set): there a skip would hide a
# guarantee nobody checked. A part not checked (a kernel feature this machine lacks, a tool
# not installed) is printed and appended to $NONO_SKIP_LOG, which scripts/test prints in
# its last lines, so a reader sees what was not checked.

cannot_run() {
    if [[ -n ${CI:-} ]]; then
        echo "$SUITE: FAILED, it cannot run here and CI is set: $*"
        exit 1
    fi
    echo "$SUITE: SKIPPED, $*"
    not_checked_log "the whole suite: $*"
    exit 77
}

not_checked() {
    echo "not checked  $*"
    not_checked_log "$*"
}

not_checked_log() {
    if [[ -n ${NONO_SKIP_LOG:-} ]]; then echo "$SUITE: $*" >>"$NONO_SKIP_LOG"; fi
}
