#!/usr/bin/env bash
# `limit` statements through nono's command line: what is weaker than written without the
# run's cgroup is refused unless --allow-weaker (exit 125, nothing run), --dry-run
# says how each limit is enforced, `nono run --limit`, and compiled plans carry them.
set -uo pipefail
# Before any cd: $0 may be relative. A suite without its checks must not pass.
source "$(dirname "$0")/../support/expect.sh" || exit 1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
failures=0
marker=$work/ran


cat >"$work/bounded.nono" <<EOF
profile bounded extends strict {
  allow read,write $work
  limit memory 256M
  limit open-files 64
}
EOF
cat >"$work/files-only.nono" <<EOF
profile files-only extends strict {
  allow read,write $work
  limit open-files 64
  limit file-size 1M
}
EOF

# Where the run's cgroup cannot bound the run's memory (no cgroup v2 delegated here, or no
# memory controller in it), `limit memory` is weaker than written: refused without
# --allow-weaker. Where it can, the run needs no --allow-weaker. --dry-run says which.
expect 0 "--dry-run shows each limit and how" -- "$NONO" exec --dry-run --profile "$work/bounded.nono" -- /bin/true
output_has "open-files" "^limit open-files 64: RLIMIT_NOFILE, per process"
output_has "core dumps" "^core dumps: off (RLIMIT_CORE 0)"
output_has "the cgroup" "^cgroup of the run: "
if grep -q '^limit memory 256M: memory.max of the run' "$work/out"; then
  expect 0 "limit memory with the run's cgroup needs no --allow-weaker" -- "$NONO" exec --profile "$work/bounded.nono" -- /bin/touch "$marker"
else
  output_has "memory" "^limit memory 256M: RLIMIT_AS, per process"
  expect 125 "limit memory without the run's cgroup is refused" -- "$NONO" exec --profile "$work/bounded.nono" -- /bin/touch "$marker"
  never_ran "limit memory without the run's cgroup"
  output_has "it says which limit" "weaker than the profile: limit memory 256M: "
  output_has "and what to do" "pass --allow-weaker"
fi
expect 0 "--allow-weaker runs it with setrlimit" -- "$NONO" exec --allow-weaker --profile "$work/bounded.nono" -- /bin/sh -c 'ulimit -n; ulimit -v; ulimit -c'
output_has "open-files is RLIMIT_NOFILE" "^64$"
output_has "memory is RLIMIT_AS (KiB)" "^262144$"
output_has "core dumps are off" "^0$"
expect 0 "limits that setrlimit enforces as written need no --allow-weaker" -- "$NONO" exec --profile "$work/files-only.nono" -- /bin/sh -c 'ulimit -f'
output_has "file-size is RLIMIT_FSIZE (512-byte blocks)" "^2048$"

# nono run --limit: a 1 GB allocation fails under memory=256M, a 100 MB one does not.
expect 1 "nono run --limit memory=256M: 1 GB fails" -- "$NONO" run --allow-weaker --limit memory=256M -- /usr/bin/python3 -c 'b = bytearray(1 << 30)'
output_has "with MemoryError" "MemoryError"
expect 0 "nono run --limit memory=256M: 100 MB succeeds" -- "$NONO" run --allow-weaker --limit memory=256M -- /usr/bin/python3 -c 'b = bytearray(100 << 20)'
expect 125 "nono run --limit with a bad unit" -- "$NONO" run --limit memory=4GB -- /bin/touch "$marker"
never_ran "a bad --limit"
output_has "names the flag" "--limit memory=4GB: unknown unit \`GB\` for memory"
expect 125 "nono run --limit with an unknown kind" -- "$NONO" run --limit threads=4 -- /bin/touch "$marker"
never_ran "an unknown --limit"
output_has "lists the kinds" "KIND one of memory, processes, open-files, cpu-time, file-size"
expect 0 "nono run --limit cpu-time=5s" -- "$NONO" run --limit cpu-time=5s -- /bin/sh -c 'ulimit -t'
output_has "cpu-time is RLIMIT_CPU" "^5$"

# A compiled plan carries the limits.
expect 0 "nonoc compile --target plan" -- "$NONOC" compile "$work/files-only.nono" --target plan -o "$work/plans"
expect 0 "nono exec --plan applies them" -- "$NONO" exec --plan "$work/plans/files-only.plan" -- /bin/sh -c 'ulimit -n'
output_has "open-files from the plan" "^64$"

if ((failures)); then echo "limits cli: $failures failure(s)"; exit 1; fi
echo "limits cli: ok"
