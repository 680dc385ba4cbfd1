#!/usr/bin/env bash
# nono's command line, end to end: exit statuses (125 when nothing ran, the command's own
# otherwise, 126/127 as a shell), refusals that leave the command unstarted, --dry-run,
# --allow-weaker, `nono run` flags, `nono profiles`.
set -uo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home/.ssh" "$work/project"
echo secret >"$work/home/.ssh/id_rsa"
export HOME=$work/home
cd "$work/project"
failures=0
marker=$work/ran

# expect STATUS DESCRIPTION -- CMD…: runs CMD, checks its exit status.
expect() {
  local want=$1 what=$2
  shift 3
  "$@" >"$work/out" 2>&1
  local got=$?
  if [[ $got -ne $want ]]; then
    echo "FAIL: $what: exit $got, expected $want"; sed 's/^/  | /' "$work/out"; failures=$((failures + 1))
  fi
}
# never_ran DESCRIPTION: the command behind a refusal must not have started.
never_ran() {
  if [[ -e $marker ]]; then echo "FAIL: $1: the command ran"; failures=$((failures + 1)); rm -f "$marker"; fi
}
output_has() {
  if ! grep -q -- "$2" "$work/out"; then echo "FAIL: $1: output lacks '$2'"; sed 's/^/  | /' "$work/out"; failures=$((failures + 1)); fi
}

expect 0 "a command under a built-in profile" -- "$NONO" exec --profile strict -- /bin/true
expect 7 "the command's exit status passes through" -- "$NONO" exec --profile strict -- /bin/sh -c 'exit 7'
expect 127 "a command that does not exist" -- "$NONO" exec --profile strict -- no-such-command-here
output_has "127 names the command" "no-such-command-here"
printf 'x' >"$work/project/not-executable"
expect 126 "a file that cannot be executed" -- "$NONO" exec --profile strict -- ./not-executable

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

# A deny glob whose later matches Landlock cannot cover is weaker than written: refused
# unless the user accepts it, and then said.
printf 'profile globby extends strict {\n  deny read ~/**/.env\n}\n' >"$work/globby.nono"
expect 125 "a profile this kernel enforces more weakly" -- "$NONO" exec --profile "$work/globby.nono" -- /bin/touch "$marker"
never_ran "a weaker profile without --allow-weaker"
output_has "what is weaker is listed" "weaker than the profile"
expect 0 "--allow-weaker" -- "$NONO" exec --profile "$work/globby.nono" --allow-weaker -- /bin/true

expect 0 "nono run --allow-cwd writes the workspace" -- "$NONO" run --allow-cwd -- /bin/sh -c 'echo hi > made-here'
[[ -f made-here ]] || { echo "FAIL: nono run --allow-cwd did not write"; failures=$((failures + 1)); }
expect 2 "nono run without --allow-cwd cannot write it (sh: redirection failed)" -- "$NONO" run -- /bin/sh -c 'echo hi > not-here'
expect 0 "nono run --read" -- "$NONO" run --read "$work/project/made-here" -- /bin/cat made-here
expect 1 "nono run keeps base's denies" -- "$NONO" run --allow "$HOME" -- /bin/cat "$HOME/.ssh/id_rsa"

# The command's own words are never nono's flags, whatever flag list comes before `--`.
expect 0 "flags after -- belong to the command" -- "$NONO" exec --profile strict --param workspace="$PWD" --bind TMPDIR=/tmp -- /bin/echo --dry-run --allow-weaker --keep-fd 5
output_has "the command got them" "^--dry-run --allow-weaker --keep-fd 5$"
expect 0 "nono run: flags after -- belong to the command" -- "$NONO" run --read /etc --connect tcp:443 -- /bin/echo --net all
output_has "the command got them" "^--net all$"

expect 0 "nono profiles" -- "$NONO" profiles
output_has "nono profiles lists base" "^base "
output_has "nono profiles lists python-agent" "^python-agent "

if ((failures)); then echo "nono cli: $failures failure(s)"; exit 1; fi
echo "nono cli: ok"
