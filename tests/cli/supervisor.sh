#!/usr/bin/env bash
# The supervisor, end to end: the command's status as a shell reports it; nothing the
# command starts outlives the run, whether the command exits or nono is killed (SIGTERM,
# SIGHUP, SIGKILL); the run's private temporary directory (a plan's $TMPDIR too);
# the run's cgroup; descriptors that are not terminals pass through untouched;
# --no-supervisor; on a terminal, supervisor_pty.py.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
SUITE=supervisor
source "$here/../support/suite.sh"

# The workspace and $TMPDIR: where the commands below leave their pids and paths.
cat >"$work/t.nono" <<'EOF'
profile t extends base {
  allow read,write,exec $CWD
  allow read,write $TMPDIR
  allow read /proc
}
EOF
nono() { "$NONO" exec --profile "$work/t.nono" -- "$@"; }
# A limit that only the run's cgroup bounds whole: a run makes one for it, which a run in a pid
# namespace without such a limit does not need. (Where the cgroup lacks the pids controller,
# as on this hybrid machine, the limit itself is weaker: --allow-weaker below.)
cat >"$work/limited.nono" <<'EOF'
profile limited extends t {
  limit processes 1000
}
EOF

# gone PID…: every pid names no process any more (nor a zombie).
gone() {
  local pid
  for pid in "$@"; do [[ -e /proc/$pid ]] && return 1; done
  return 0
}
# descendants PID: every process below PID, as the kernel lists children.
descendants() {
  local child
  for child in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
    echo "$child"
    descendants "$child"
  done
}

# ---- Status as a shell reports it --------------------------------------------------------
expect_status() {
  local want=$1
  shift
  nono "$@" </dev/null >/dev/null 2>&1
  local got=$?
  [[ $got -eq $want ]] || fail "$*: exit $got, expected $want"
}
expect_status 0 /bin/true
expect_status 7 /bin/sh -c 'exit 7'
expect_status 143 /bin/sh -c 'kill -TERM $$'
expect_status 139 /bin/sh -c 'kill -SEGV $$'
expect_status 137 /bin/sh -c 'kill -KILL $$'
expect_status 127 no-such-command-here

# ---- Pipes stay pipes: nothing is a terminal, nothing is relayed -------------------------
out=$(nono readlink /proc/self/fd/0 /proc/self/fd/1 </dev/null 2>/dev/null | cat)
[[ $out == $'/dev/null\npipe:'* ]] || fail "stdin and stdout pass through untouched: got '$out'"

# ---- A daemon that leaves in a new session, ignoring SIGTERM and SIGHUP -------------------
# Without nono it outlives the command (the attack); under nono it is dead when nono returns.
# It is found by its command line, a sleep of its own length: under nono it runs in a pid
# namespace, whose numbers are not this shell's.
daemon_sleep=1000.$$
daemon='setsid sh -c "trap \"\" TERM HUP; echo \$\$ > daemon.pid; exec sleep DAEMON_SLEEP" </dev/null >/dev/null 2>&1 &
        while [ ! -s daemon.pid ]; do sleep 0.05; done'
daemon=${daemon/DAEMON_SLEEP/$daemon_sleep}
daemon_pid() { pgrep -x -f "sleep $daemon_sleep"; }
sh -c "$daemon"
pid=$(daemon_pid)
[[ -n $pid ]] || fail "without nono, the daemon should outlive its command"
kill -KILL $pid
rm -f daemon.pid
nono sh -c "$daemon" </dev/null >/dev/null 2>&1 || fail "the daemon's command failed"
[[ -s daemon.pid ]] || fail "under nono, the daemon did not start"
pid=$(daemon_pid)
[[ -z $pid ]] || fail "the daemon (pid $pid) outlived nono"
rm -f daemon.pid

# ---- The private temporary directory ------------------------------------------------------
inside='echo "$TMPDIR" > tmp.path; [ "$TMP" = "$TMPDIR" ] && [ "$TEMP" = "$TMPDIR" ] &&
        stat -c %a "$TMPDIR" > tmp.mode && echo x > "$TMPDIR/file" && mkdir "$TMPDIR/sub"'
nono sh -c "$inside" </dev/null || fail "TMPDIR, TMP and TEMP name one directory the command may write"
tmp=$(cat tmp.path)
[[ $tmp == "${TMPDIR:-/tmp}/nono-$(id -u)"/nono-run-* ]] ||
  fail "the private directory is in the user's runs' own directory in TMPDIR: $tmp"
[[ $(cat tmp.mode) == 700 ]] || fail "the private directory's mode is $(cat tmp.mode), not 700"
[[ -e $tmp ]] && fail "the private directory $tmp is left after the run"
nono sh -c 'echo "$TMPDIR"' </dev/null >tmp.second
[[ $(cat tmp.second) != "$tmp" ]] || fail "two runs share a private directory"

# The runs' own directory made first by someone else (here root, for nobody's runs, open to
# all) is not used: the private directory goes in TMPDIR itself.
if [[ $EUID -eq 0 ]]; then
  shared=$(mktemp -d /tmp/nono-shared-tmp.XXXXXX)
  chmod 1777 "$shared"
  mkdir -m 0777 "$shared/nono-$(id -u nobody)"
  mkdir "$shared/home" && chown nobody "$shared/home"
  (cd "$shared/home" && HOME=$shared/home TMPDIR=$shared setpriv --reuid=nobody --regid=nogroup --clear-groups -- \
    "$NONO" exec --profile "$NONO_REPO/profiles/base.nono" -- /bin/sh -c 'echo "$TMPDIR"') </dev/null >tmp.squatted 2>&1 ||
    fail "a run beside another user's nono-UID: $(cat tmp.squatted)"
  [[ $(cat tmp.squatted) == "$shared"/nono-run-* ]] ||
    fail "a runs' directory that is not the user's own is not used: $(cat tmp.squatted)"
  rm -rf "$shared"
else
  not_checked "a runs' directory made by another user (needs root to make one for nobody)"
fi

# TMPDIR must be fit to hold it, whether or not the profile names $TMPDIR: never `/`.
rm -f ran
TMPDIR=/ "$NONO" exec --profile strict -- /bin/touch ran </dev/null 2>stderr.txt
status=$?
[[ $status -eq 125 && ! -e ran ]] || fail "TMPDIR=/: exit $status, expected 125 and nothing run"
grep -q "TMPDIR is \`/\`, a system directory" stderr.txt || fail "TMPDIR=/ is named: $(cat stderr.txt)"

# A compiled plan's $TMPDIR is the run's directory too: the write is granted there.
"$NONOC" compile "$work/t.nono" --target plan -o "$work/plans" >/dev/null || fail "nonoc compile --target plan"
"$NONO" exec --plan "$work/plans/t.plan" -- sh -c 'echo x > "$TMPDIR/file"' </dev/null ||
  fail "a plan's \$TMPDIR grant reaches the run's private directory"

# ---- nono killed: its whole tree dies, its private directory is removed ----------------------
# The command leaves a daemon (new session, ignoring SIGTERM and SIGHUP) and waits; nono
# gets SIGNAL. Every process that was below nono must be gone.
killed_case() {
  local signal=$1 want=$2
  rm -f daemon.pid tmp.path
  "$NONO" exec --profile "$work/t.nono" -- sh -c "echo \"\$TMPDIR\" > tmp.path; $daemon; exec sleep 1000" \
    </dev/null >/dev/null 2>&1 &
  local nono_pid=$! i
  for ((i = 0; i < 100; i++)); do [[ -s daemon.pid && -s tmp.path ]] && break; sleep 0.05; done
  local tree
  tree=$(descendants "$nono_pid")
  [[ $(wc -w <<<"$tree") -ge 3 ]] || fail "nono $signal: expected the reaper, the command and the daemon below nono: $tree"
  kill -"$signal" "$nono_pid"
  { wait "$nono_pid"; } 2>/dev/null
  local status=$?
  [[ $status -eq $want ]] || fail "nono $signal: exit $status, expected $want"
  for ((i = 0; i < 100; i++)); do gone $tree && break; sleep 0.05; done
  # shellcheck disable=SC2086
  gone $tree || fail "nono $signal: processes outlived it: $(for p in $tree; do [[ -e /proc/$p ]] && echo "$p"; done)"
  for ((i = 0; i < 100; i++)); do [[ -e $(cat tmp.path) ]] || break; sleep 0.05; done
  [[ -e $(cat tmp.path) ]] && fail "nono $signal: its private directory is left"
}
killed_case TERM 143
killed_case HUP 129
killed_case KILL 137

# ---- The run's cgroup --------------------------------------------------------------------------
# Where the user's cgroup v2 subtree lets nono make one (root on this hybrid machine, a
# systemd user's delegated slice) and the run needs one, every process of the run is in it,
# and it is gone after the run. In a pid namespace, a run without a cgroup's limit makes none.
"$NONO" exec --dry-run --profile "$work/limited.nono" -- /bin/true </dev/null >dry.txt 2>&1
parent=$(sed -n 's|^cgroup of the run: nono-PID in \(/.*\)|\1|p' dry.txt)
if [[ -z $parent ]]; then
  not_checked "the run's cgroup: $(sed -n 's/^cgroup of the run: none: //p' dry.txt)"
else
  "$NONO" exec --dry-run --profile "$work/t.nono" -- /bin/true </dev/null >dry.txt 2>&1
  if grep -q "^namespaces: user" dry.txt; then
    grep -q "^cgroup of the run: none: not needed" dry.txt ||
      fail "in a pid namespace, a run without memory or process limits needs no cgroup: $(grep cgroup dry.txt)"
  fi
  "$NONO" exec --profile "$work/limited.nono" --allow-weaker -- sh -c 'grep "^0::" /proc/self/cgroup > cgroup.txt' </dev/null &
  run=$!
  wait "$run"
  [[ $(cat cgroup.txt) == *"/nono-$run" ]] || fail "the command is in the run's cgroup nono-$run: $(cat cgroup.txt)"
  [[ -e $parent/nono-$run ]] && fail "the run's cgroup $parent/nono-$run is left after the run"
fi

# ---- nono and its reaper both killed with SIGKILL ------------------------------------------------
# Then nothing of the run is left to clean up after it: its private directory stays, and so
# would a daemon of the run, but that in the namespace mode the reaper was its pid
# namespace's init (the kernel kills the rest with it), and that the run's cgroup holds it
# until the next run. The next run removes the directory, and kills what is in the cgroup
# and removes it.
rm -f daemon.pid tmp.path
"$NONO" exec --profile "$work/limited.nono" --allow-weaker -- sh -c "echo \"\$TMPDIR\" > tmp.path; $daemon; exec sleep 1000" </dev/null >/dev/null 2>&1 &
run=$!
for ((i = 0; i < 100; i++)); do [[ -s daemon.pid && -s tmp.path ]] && break; sleep 0.05; done
pid=$(daemon_pid) tmp=$(cat tmp.path)
[[ -n $pid ]] || fail "the killed run's daemon did not start"
{
  kill -KILL "$run" $(cat /proc/"$run"/task/*/children)
  wait "$run"
} 2>/dev/null
sleep 0.5
[[ -d $tmp ]] || fail "nono and its reaper killed: their private directory should be left"
[[ -n $parent && ! -d $parent/nono-$run ]] && fail "nono and its reaper killed: their cgroup $parent/nono-$run should be left"
sleep 2.1  # a run removes only what is older than 2 s: a younger one's run may be starting
# The next run that makes a cgroup beside it removes it (a run in a pid namespace without a
# cgroup's limit makes none; a killed one's cgroup there holds no process).
"$NONO" exec --profile "$work/limited.nono" --allow-weaker -- /bin/true </dev/null 2>/dev/null ||
  fail "the run after a killed one"
[[ -e $tmp ]] && fail "the next run removes the private directory a killed run left: $tmp"
if [[ -n $parent ]]; then
  for ((i = 0; i < 100; i++)); do gone $pid && break; sleep 0.05; done
  gone $pid || fail "the next run kills what a killed run left in its cgroup"
  [[ -e $parent/nono-$run ]] && fail "the next run removes the killed run's cgroup $parent/nono-$run"
fi
gone $pid || kill -KILL $pid


# ---- --no-supervisor: in place, and said to be weaker ----------------------------------------
"$NONO" exec --profile "$work/t.nono" --no-supervisor -- sh -c 'echo $$ > self.pid; echo "${TMPDIR-unset}" > tmp.path' \
  </dev/null 2>stderr.txt &
wait $!
[[ $(cat self.pid) == "$!" ]] || fail "--no-supervisor runs the command in nono's own process"
grep -q "weaker" stderr.txt || fail "--no-supervisor says it is weaker: $(cat stderr.txt)"

# ---- On a terminal ------------------------------------------------------------------------------
PROFILE="$work/t.nono" python3 "$here/supervisor_pty.py" || failures=$((failures + 1))

if ((failures)); then
  echo "$failures failure(s)"
  exit 1
fi
echo "supervisor: all passed"
