# Sourced by the command-line suites: checks of one command's exit status and output.
# The suite sets $work (a scratch directory), $marker (a file the command under test
# creates when it runs) and failures=0 first.

# expect STATUS DESCRIPTION -- CMD…: runs CMD, checks its exit status; its output is kept
# in $work/out for output_has.
expect() {
  local want=$1 what=$2
  shift 3
  "$@" >"$work/out" 2>&1
  local got=$?
  if [[ $got -ne $want ]]; then
    echo "FAIL: $what: exit $got, expected $want"; sed 's/^/  | /' "$work/out"; failures=$((failures + 1))
  fi
}

# output_has DESCRIPTION PATTERN: the last expect's output matches PATTERN (grep).
output_has() {
  if ! grep -q -- "$2" "$work/out"; then echo "FAIL: $1: output lacks '$2'"; sed 's/^/  | /' "$work/out"; failures=$((failures + 1)); fi
}

# never_ran DESCRIPTION: the command behind a refusal must not have started.
never_ran() {
  if [[ -e $marker ]]; then echo "FAIL: $1: the command ran"; failures=$((failures + 1)); rm -f "$marker"; fi
}
