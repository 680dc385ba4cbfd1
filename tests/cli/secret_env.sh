#!/usr/bin/env bash
# Secrets in the environment (DESIGN.md, "Environment"; issue 17), with real sandboxed
# processes: each secret-looking variable set outside is unset inside, unless the profile
# says `env keep NAME` or the run says `--env-keep NAME`; the agent profiles keep their own
# keys; `--dry-run` lists the names it would not pass, never their values.
set -uo pipefail
: "${NONO:?}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work/home TMPDIR=$work/tmp
mkdir -p "$HOME" "$TMPDIR"
cd "$HOME"
failures=0
fail() { echo "FAIL: $1"; sed 's/^/  | /' "$work/out"; failures=$((failures + 1)); }

secrets=(ANTHROPIC_API_KEY OPENAI_API_KEY GEMINI_API_KEY GOOGLE_API_KEY GITHUB_PAT GITHUB_TOKEN GH_TOKEN HF_TOKEN
         NPM_TOKEN CI_JOB_TOKEN PGPASSWORD MYSQL_PWD DATABASE_URL BW_SESSION AWS_ACCESS_KEY_ID
         AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN SSH_AUTH_SOCK GOOGLE_APPLICATION_CREDENTIALS)
passed=(PATH HOME LANG KEYBOARD XKB_DEFAULT_LAYOUT XDG_SESSION_TYPE)
for name in "${secrets[@]}" "${passed[@]:3}"; do export "$name=value-of-$name"; done
export LANG=C.UTF-8

# The control: without nono, every one reaches the program.
env >"$work/out"
for name in "${secrets[@]}"; do grep -q "^$name=" "$work/out" || fail "control: $name is not set outside"; done

# present NAME… / absent NAME…: in the environment the last command printed.
present() { for name; do grep -q "^$name=value-of-$name$" "$work/out" || fail "$what: $name did not reach the command"; done; }
absent() { for name; do ! grep -q "^$name=" "$work/out" || fail "$what: $name reached the command"; done; }

what="strict"
"$NONO" exec --profile strict /usr/bin/env >"$work/out" 2>&1 || fail "$what: exit $?"
absent "${secrets[@]}"
present "${passed[@]:3}"

printf 'profile keeper extends strict {\n  env keep GITHUB_PAT PGPASSWORD\n}\n' >"$work/keeper.nono"
what="env keep GITHUB_PAT PGPASSWORD"
"$NONO" exec --profile "$work/keeper.nono" /usr/bin/env >"$work/out" 2>&1 || fail "$what: exit $?"
present GITHUB_PAT PGPASSWORD
absent HF_TOKEN DATABASE_URL

what="nono run --env-keep HF_TOKEN"
"$NONO" run --env-keep HF_TOKEN --env-keep DATABASE_URL /usr/bin/env >"$work/out" 2>&1 || fail "$what: exit $?"
present HF_TOKEN DATABASE_URL
absent GITHUB_PAT ANTHROPIC_API_KEY

# Each agent keeps exactly its own keys: its dry run does not list them, and lists the others.
declare -A keeps=([claude-code]="ANTHROPIC_API_KEY" [codex]="OPENAI_API_KEY" [gemini-cli]="GEMINI_API_KEY GOOGLE_API_KEY"
                  [opencode]="ANTHROPIC_API_KEY OPENAI_API_KEY GEMINI_API_KEY" [aider]="ANTHROPIC_API_KEY OPENAI_API_KEY GEMINI_API_KEY")
for agent in "${!keeps[@]}"; do
  what="$agent --dry-run"
  "$NONO" exec --profile "$agent" --dry-run /bin/true >"$work/out" 2>&1 || fail "$what: exit $?"
  line=$(grep '^environment: not passed:' "$work/out")
  [[ -n $line ]] || fail "$what: no 'environment: not passed:' line"
  for name in ${keeps[$agent]}; do [[ " $line " != *" $name "* ]] || fail "$what: its own $name is not passed"; done
  for name in GITHUB_PAT HF_TOKEN PGPASSWORD AWS_SECRET_ACCESS_KEY; do
    [[ " $line " == *" $name "* ]] || fail "$what: $name is not listed as not passed"
  done
  ! grep -q "value-of-" "$work/out" || fail "$what: a value was printed"
done

# And for real: claude-code's command gets ANTHROPIC_API_KEY and not OPENAI_API_KEY.
what="claude-code, for real"
"$NONO" exec --profile claude-code /usr/bin/env >"$work/out" 2>&1 || fail "$what: exit $?"
present ANTHROPIC_API_KEY
absent OPENAI_API_KEY GITHUB_PAT

if ((failures)); then echo "secret env: $failures failure(s)"; exit 1; fi
echo "secret env: ok"
