#!/usr/bin/env bash
# nono's command line, end to end: exit statuses (125 when nothing ran, the command's own
# otherwise, 126/127 as a shell), refusals that leave the command unstarted, --dry-run,
# --allow-weaker, compiled plans (--plan), `nono run` flags, `nono profiles`.
set -uo pipefail
# Before any cd: $0 may be relative. A suite without its checks must not pass.
source "$(dirname "$0")/../support/expect.sh" || exit 1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home/.ssh" "$work/project"
echo secret >"$work/home/.ssh/id_rsa"
export HOME=$work/home
cd "$work/project"
failures=0
marker=$work/ran


expect 0 "a command under a built-in profile" -- "$NONO" exec --profile strict -- /bin/true
expect 7 "the command's exit status passes through" -- "$NONO" exec --profile strict -- /bin/sh -c 'exit 7'
expect 127 "a command that does not exist" -- "$NONO" exec --profile strict -- no-such-command-here
output_has "127 names the command" "no-such-command-here"
printf 'x' >"$work/project/not-executable"
expect 126 "a file that cannot be executed" -- "$NONO" exec --profile strict -- ./not-executable

# An executable file the profile gives no exec right: the refusal names the file and the grant.
mkdir -p "$HOME/tools"
cp /bin/true "$HOME/tools/helper"
expect 126 "a program the profile does not allow to run" -- "$NONO" exec --profile strict -- "$HOME/tools/helper"
output_has "126 names the refused file" "$HOME/tools/helper: Permission denied"
output_has "126 names the grant that allows it" "allow exec $HOME/tools"
expect 126 "the same found through PATH" -- env PATH="$HOME/tools:/usr/bin" "$NONO" exec --profile strict -- helper
output_has "126 names the file PATH found" "helper: $HOME/tools/helper: Permission denied"

expect 1 "a refused read is the command's failure" -- "$NONO" exec --profile strict -- /bin/cat "$HOME/.ssh/id_rsa"
output_has "cat says why" "Permission denied"

printf 'profile broken {\n  allow wrte /tmp\n}\n' >"$work/broken.nono"
expect 125 "a profile with errors" -- "$NONO" exec --profile "$work/broken.nono" -- /bin/touch "$marker"
never_ran "a profile with errors"
output_has "the error is shown with its place" "broken.nono:2:9: error: unknown access word"

expect 125 "an unknown profile" -- "$NONO" exec --profile no-such-profile -- /bin/touch "$marker"
never_ran "an unknown profile"
expect 125 "an unknown param" -- "$NONO" exec --profile strict --param nope=1 -- /bin/touch "$marker"
never_ran "an unknown param"
expect 125 "no command" -- "$NONO" exec --profile strict
expect 125 "a bad --connect" -- "$NONO" run --connect tcp:70000 -- /bin/touch "$marker"
never_ran "a bad --connect"

expect 0 "--dry-run" -- "$NONO" exec --profile strict --dry-run -- /bin/touch "$marker"
never_ran "--dry-run"
output_has "--dry-run shows the ruleset" "Landlock ABI"
output_has "--dry-run shows the filter" "seccomp filter"

# A plan compiled ahead of time (`nonoc compile --target plan`) is applied without
# compiling: the same ruleset as the profile it came from, enforced by the kernel alike.
expect 0 "nonoc compile --target plan" -- "$NONOC" compile strict --target plan -o "$work/plans"
plan=$work/plans/strict.plan
expect 0 "a command under a plan" -- "$NONO" exec --plan "$plan" -- /bin/true
expect 1 "a read the plan refuses" -- "$NONO" exec --plan "$plan" -- /bin/cat "$HOME/.ssh/id_rsa"
output_has "cat says why" "Permission denied"
expect 0 "--dry-run of the profile" -- "$NONO" exec --profile strict --dry-run -- /bin/true
output_has "--dry-run names the statements" "profiles/base.nono:[0-9]"
output_has "--dry-run says what this machine makes of it" "^on this machine:"
# The concrete ruleset and what the machine makes of it, from --json. /proc/self and
# /proc/thread-self name nono's own process and thread: others in each run; so does the
# run's private directory.
ruleset() {
  python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin)["machine"], indent=1))' <"$work/out" |
    sed -E 's#/[0-9]+(/|")#/PID\1#g; s#/nono-run-[A-Za-z0-9]{6}#/nono-run-XXXXXX#g'
}
expect 0 "--dry-run --json of the profile" -- "$NONO" exec --profile strict --dry-run --json -- /bin/true
ruleset >"$work/profile-ruleset"
expect 0 "--dry-run of the plan" -- "$NONO" exec --plan "$plan" --dry-run -- /bin/touch "$marker"
never_ran "--dry-run of a plan"
output_has "the plan's filter is disassembled" "; x86_64"
expect 0 "--dry-run --json of the plan" -- "$NONO" exec --plan "$plan" --dry-run --json -- /bin/touch "$marker"
never_ran "--dry-run --json of a plan"
ruleset >"$work/plan-ruleset"
grep -q '"path"' "$work/plan-ruleset" || { echo "FAIL: the plan's --json has no rules"; failures=$((failures + 1)); }
if ! cmp -s "$work/profile-ruleset" "$work/plan-ruleset"; then
  echo "FAIL: the plan's ruleset differs from its profile's"; diff "$work/profile-ruleset" "$work/plan-ruleset" | head; failures=$((failures + 1))
fi
# A plan that is not whole, not a plan, or not for this machine: nothing runs.
head -c 100 "$plan" >"$work/short.plan"
expect 125 "a truncated plan" -- "$NONO" exec --plan "$work/short.plan" -- /bin/touch "$marker"
never_ran "a truncated plan"
output_has "the reason names the plan" "short.plan: byte"
expect 125 "a profile given as a plan" -- "$NONO" exec --plan "$work/broken.nono" -- /bin/touch "$marker"
never_ran "a profile given as a plan"
output_has "not a plan is said" "not a nono plan file"
expect 125 "a missing plan" -- "$NONO" exec --plan "$work/none.plan" -- /bin/touch "$marker"
never_ran "a missing plan"
expect 125 "a directory as the plan" -- "$NONO" exec --plan "$work" -- /bin/touch "$marker"
never_ran "a directory as the plan"
expect 0 "a plan for another architecture" -- "$NONOC" compile strict --target plan --arch aarch64 -o "$work/aarch64"
expect 125 "a plan for another architecture" -- "$NONO" exec --plan "$work/aarch64/strict.plan" -- /bin/touch "$marker"
never_ran "a plan for another architecture"
output_has "the architecture is named" "is for aarch64"
expect 125 "--param with a plan" -- "$NONO" exec --plan "$plan" --param workspace=/tmp -- /bin/touch "$marker"
never_ran "--param with a plan"
expect 125 "--workdir with a plan" -- "$NONO" exec --plan "$plan" --workdir /tmp -- /bin/touch "$marker"
never_ran "--workdir with a plan"
expect 125 "neither --profile nor --plan" -- "$NONO" exec -- /bin/touch "$marker"
never_ran "neither --profile nor --plan"
expect 125 "both --profile and --plan" -- "$NONO" exec --profile strict --plan "$plan" -- /bin/touch "$marker"
never_ran "both --profile and --plan"

# A deny glob whose later matches Landlock cannot cover is weaker than written: refused
# unless the user accepts it, and then said.
printf 'profile globby extends strict {\n  deny read ~/**/.env\n}\n' >"$work/globby.nono"
expect 125 "a profile this kernel enforces more weakly" -- "$NONO" exec --profile "$work/globby.nono" -- /bin/touch "$marker"
never_ran "a weaker profile without --allow-weaker"
output_has "what is weaker is listed" "weaker than the profile"
expect 0 "--allow-weaker" -- "$NONO" exec --profile "$work/globby.nono" --allow-weaker -- /bin/true
# The same from a plan: the runtime judges the plan by itself.
expect 0 "a weaker plan compiles with --allow-weaker" -- "$NONOC" compile "$work/globby.nono" --target plan --allow-weaker -o "$work/plans"
expect 125 "a weaker plan" -- "$NONO" exec --plan "$work/plans/globby.plan" -- /bin/touch "$marker"
never_ran "a weaker plan without --allow-weaker"
output_has "what is weaker is listed" "weaker than the profile: .*\.env"
expect 0 "a weaker plan, --allow-weaker" -- "$NONO" exec --plan "$work/plans/globby.plan" --allow-weaker -- /bin/true

expect 0 "nono run --allow-cwd writes the workspace" -- "$NONO" run --allow-cwd -- /bin/sh -c 'echo hi > made-here'
[[ -f made-here ]] || { echo "FAIL: nono run --allow-cwd did not write"; failures=$((failures + 1)); }
expect 2 "nono run without --allow-cwd cannot write it (sh: redirection failed)" -- "$NONO" run -- /bin/sh -c 'echo hi > not-here'
expect 0 "nono run --read" -- "$NONO" run --read "$work/project/made-here" -- /bin/cat made-here
expect 1 "nono run keeps base's denies" -- "$NONO" run --allow "$HOME" -- /bin/cat "$HOME/.ssh/id_rsa"

# The command's own words are never nono's flags, whatever flag list comes before `--`.
expect 0 "flags after -- belong to the command" -- "$NONO" exec --profile strict --param workspace="$PWD" --bind USER=someone -- /bin/echo --dry-run --allow-weaker --keep-fd 5
output_has "the command got them" "^--dry-run --allow-weaker --keep-fd 5$"
expect 0 "nono run: flags after -- belong to the command" -- "$NONO" run --read /etc --connect tcp:443 -- /bin/echo --net all
output_has "the command got them" "^--net all$"
# nono's options end at the command's first word, with or without `--`: the words after it
# are the command's, however much they look like nono's own.
expect 0 "exec: options end at the command" -- "$NONO" exec --profile strict --workdir "$PWD" /bin/echo --dry-run --profile x
output_has "the command got them" "^--dry-run --profile x$"
printf 'top secret' >"$work/secret"
expect 0 "run: a --read after the command is the command's" -- "$NONO" run --allow-cwd /bin/sh -c 'cat "$1"; echo "$@"' sh "$work/secret" --read "$work"
output_has "the file stayed unreadable" "Permission denied"
output_has "the command got --read" "--read $work$"
if grep -q "top secret" "$work/out"; then echo "FAIL: --read after the command granted the file"; failures=$((failures + 1)); fi
expect 0 "run: an option with its value attached, then the command" -- "$NONO" run --read="$work/secret" --profile=run /bin/cat "$work/secret"
output_has "cat read the file it was granted" "top secret"
expect 0 "exec: a short option with its value attached" -- "$NONO" exec -pstrict /bin/echo -p x
output_has "the command got them" "^-p x$"
expect 0 "run: -- still ends the options" -- "$NONO" run --read "$work/secret" -- /bin/echo --read /etc
output_has "the command got them" "^--read /etc$"

# A value is literal text, never a glob: a workspace named `*` (or `?`) grants itself, and
# its sibling stays unreadable.
mkdir -p "$work/stars/*" "$work/stars/?" "$work/stars/sibling"
echo "SIBLING SECRET" >"$work/stars/sibling/secret"
echo "own" >"$work/stars/*/own"
cat "$work/stars/sibling/secret" >/dev/null || { echo "FAIL: control: the sibling is not readable"; failures=$((failures + 1)); }
(cd "$work/stars/*" && expect 0 "a workspace named *: its own file" -- "$NONO" run --allow-cwd /bin/cat own)
(cd "$work/stars/*" && expect 1 "a workspace named *: its sibling" -- "$NONO" run --allow-cwd /bin/cat "$work/stars/sibling/secret")
expect 1 "--read of a directory named ?: its sibling" -- "$NONO" run --read "$work/stars/?" /bin/cat "$work/stars/sibling/secret"
mkdir -p "$work/tmpdir"
TMPDIR=$work/tmpdir expect 1 "--param workspace=DIR/*: the sibling" -- "$NONO" exec --profile python-agent --param "workspace=$work/stars/*" /bin/cat "$work/stars/sibling/secret"
# An environment variable a rule uses must name a directory of the user's. Under the
# supervisor the user's TMPDIR holds the run's private directory, and is checked as for a
# rule whether or not the profile names $TMPDIR; without it, when a rule uses it.
TMPDIR=/ expect 125 "TMPDIR=/" -- "$NONO" exec --profile python-agent /bin/touch "$marker"
never_ran "TMPDIR=/"
output_has "the variable is named" "TMPDIR is \`/\`, a system directory"
TMPDIR=/ expect 125 "TMPDIR=/ without the supervisor" -- "$NONO" exec --profile python-agent --no-supervisor /bin/touch "$marker"
never_ran "TMPDIR=/ without the supervisor"
output_has "the variable is named" "TMPDIR is \`/\`, a system directory"
TMPDIR=$work/none expect 125 "a TMPDIR that does not exist" -- "$NONO" exec --profile python-agent --no-supervisor /bin/touch "$marker"
never_ran "a TMPDIR that does not exist"
HOME=/usr expect 125 "HOME=/usr" -- "$NONO" exec --profile strict /bin/touch "$marker"
output_has "the variable is named" "HOME is \`/usr\`, a system directory"

# Without openat2 (a kernel before 5.6, or inside nono: base's filter refuses it) the
# layout's paths are opened one component at a time, still following no symlink: the same
# grants and refusals, and nono runs inside nono.
echo "workspace file" >"$work/project/inside"
without_openat2=("$NONO_TEST_HELPERS/with_syscalls_failing" openat2)
expect 0 "without openat2: the workspace is readable" -- "${without_openat2[@]}" "$NONO" run --allow-cwd /bin/cat inside
output_has "the file was read" "workspace file"
expect 1 "without openat2: a denied file stays refused" -- "${without_openat2[@]}" "$NONO" run --allow-cwd /bin/cat "$HOME/.ssh/id_rsa"
printf 'profile outer extends python-agent {\n  allow read,exec "%s"\n  allow read "%s/profiles"\n}\n' \
  "$(dirname "$NONO")" "$NONO_REPO" >"$work/outer.nono"
# The outer sandbox refuses new namespaces: the inner run needs --allow-weaker for what
# it then enforces more weakly, and says so.
# A sanitized build's reports go to stderr there (the outer sandbox lets it write no log
# file), and LeakSanitizer cannot run inside it (it needs ptrace, which base refuses).
expect 0 "nono inside nono" -- "$NONO" exec --profile "$work/outer.nono" -- /usr/bin/env ASAN_OPTIONS=log_path=stderr:detect_leaks=0 \
  UBSAN_OPTIONS=log_path=stderr "$NONO" run --allow-weaker --allow-cwd /bin/cat inside
output_has "the inner run read the file" "workspace file"

expect 0 "nono profiles" -- "$NONO" profiles
output_has "nono profiles lists base" "^base "
output_has "nono profiles lists python-agent" "^python-agent "

if ((failures)); then echo "nono cli: $failures failure(s)"; exit 1; fi
echo "nono cli: ok"
