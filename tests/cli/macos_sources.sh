#!/usr/bin/env bash
# nono builds on macOS, as far as Linux can tell (docs/macos.md, "Verified on Linux"):
# - the files a macOS build compiles, as cmake/sources.cmake lists them for macOS (the same
#   list the build reads), use nothing of Linux alone: no Linux-only header, included by the
#   file or through the repository's own headers, and no Linux-only call, constant or type
#   (tests/support/linux_only_uses.py); the checker itself finds what it must in a planted file;
# - nono_macos_build_check, those files compiled on Linux as for macOS and linked together
#   (tests/CMakeLists.txt), runs a dry run: the macOS target compiles the profile to SBPL.
set -uo pipefail
SUITE=macos_sources
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../support/suite.sh"
repo=$(cd "${NONO_REPO:-$here/../..}" && pwd)
checker=$repo/tests/support/linux_only_uses.py
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The macOS list, from the file the build reads.
if ! (cd "$work" && cmake -DSYSTEM=macos -P "$repo/cmake/list_sources.cmake") >"$work/macos" 2>&1; then
    cat "$work/macos"
    fail "cmake/list_sources.cmake did not list the macOS sources"
fi
for file in plan/plan_file.cpp runtime/seatbelt.cpp runtime/process_macos.cpp runtime/supervisor.cpp runtime/command.cpp \
    cli/nono/target_seatbelt.cpp cli/nono/main.cpp compiler/compile.cpp cli/nonoc/main.cpp tests/unit/main.cpp; do
    grep -qx "$file" "$work/macos" || fail "the macOS sources do not list $file"
done
for file in runtime/sandbox.cpp runtime/process_linux.cpp runtime/namespaces.cpp runtime/run_cgroup.cpp \
    cli/nono/target_linux.cpp tests/unit/landlock_test.cpp; do
    grep -qx "$file" "$work/macos" && fail "the macOS sources list $file, which is Linux's"
done
echo "$(wc -l <"$work/macos") files compiled on macOS"

# Each of them, with the repository's headers it reaches.
mapfile -t sources <"$work/macos"
if ! python3 "$checker" "$repo" "${sources[@]}" >"$work/uses"; then
    sed 's/^/  /' "$work/uses"
    fail "files compiled on macOS use Linux (above): move that code into a Linux-only file (cmake/sources.cmake) or behind runtime/process.hpp"
fi

# The checker finds, through a header, in code, and not in a comment or a string.
cat >"$work/planted.cpp" <<'EOF'
#include <sys/epoll.h>
#include "runtime/namespaces.hpp"
// close_range(3, ~0u, 0) in a comment is no use
const char* text = "syscall(SYS_close_range) in a string is none either";
int f() { return close_range(3, ~0u, 0) + O_PATH; }
EOF
python3 "$checker" "$repo" "$work/planted.cpp" | sed 's/^[^ ]* //' >"$work/planted"
for expected in 'includes <sys/epoll.h>' 'runtime/namespaces.hpp:[0-9]*: names CLONE_NEWUSER' \
    'planted.cpp:5: calls close_range()' 'planted.cpp:5: names O_PATH'; do
    grep -q "$expected" "$work/planted" || fail "the checker did not find '$expected' in a planted file"
done
grep -q 'planted.cpp:[34]:' "$work/planted" && fail "the checker reported a comment or a string: $(grep 'planted.cpp:[34]:' "$work/planted")"
python3 "$checker" "$repo" runtime/sandbox.cpp >"$work/linux"
grep -q 'calls prctl()' "$work/linux" || fail "the checker finds no prctl in runtime/sandbox.cpp"

# The macOS files, built on Linux as one program, run a dry run.
if [[ -z ${NONO_MACOS_BUILD_CHECK:-} || ! -x ${NONO_MACOS_BUILD_CHECK:-} ]]; then
    cannot_run "nono_macos_build_check is not built (NONO_MACOS_BUILD_CHECK)"
fi
if ! "$NONO_MACOS_BUILD_CHECK" exec --profile python-agent --dry-run -- true >"$work/dry" 2>&1; then
    cat "$work/dry"
    fail "nono_macos_build_check's dry run failed"
fi
grep -qx '(deny default)' "$work/dry" || fail "nono_macos_build_check's dry run printed no SBPL profile"

if ((failures)); then echo "$SUITE: $failures failure(s)"; exit 1; fi
echo "$SUITE: ok"
