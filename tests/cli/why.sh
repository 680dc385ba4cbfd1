#!/usr/bin/env bash
# nonoc why names the statements that decided, including a deny that nothing above allows,
# and base's `deny secret` of an agent's credentials, re-opened by the agent's own profile;
# several paths and accesses are answered one by one.
set -euo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/p.nono" <<'PROFILE'
profile p {
  allow read /home/u/proj
  deny ~/.ssh
  allow read ~/.ssh/known_hosts
}
PROFILE
why() { "$NONOC" why "$work/p.nono" --bind HOME=/home/u "$@"; }

out=$(why --path /home/u/.ssh/id_rsa --access read) && { echo "FAIL: id_rsa allowed"; exit 1; }
grep -q "^denied: read /home/u/.ssh/id_rsa" <<<"$out"
grep -q "decided by: deny ~/.ssh  (.*p.nono:3)  on /home/u/.ssh" <<<"$out"

out=$(why --path /home/u/.ssh/known_hosts --access read)
grep -q "decided by: allow read ~/.ssh/known_hosts  (.*p.nono:4)" <<<"$out"
grep -q "overridden: deny ~/.ssh  (.*p.nono:3)" <<<"$out"

out=$(why --path /home/u/other --access read) && { echo "FAIL: other allowed"; exit 1; }
grep -q "no statement allows it" <<<"$out"
# base's `deny secret` of an agent's credentials: denied under every profile but the agent's.
out=$("$NONOC" why python-agent --bind HOME=/home/u --param workspace=/home/u --path /home/u/.codex/auth.json --access read) &&
  { echo "FAIL: python-agent reads codex's credentials"; exit 1; }
grep -q "decided by: deny secret .*~/.codex/auth.json.*base.nono:[0-9]*)" <<<"$out"
out=$("$NONOC" why codex --bind HOME=/home/u --path /home/u/.codex/auth.json --access read)
grep -q "decided by: allow read,write ~/.codex/auth.json  (.*codex.nono:[0-9]*)" <<<"$out"
# Several paths with several accesses: every path with every access, path by path, one
# answer each after a blank line; exit 0 only if every one is allowed.
out=$(why --path /home/u/proj/a --path /home/u/.ssh/id_rsa --access read --access write) &&
  { echo "FAIL: several questions, one denied, exit 0"; exit 1; }
[[ $(grep -E '^(allowed|denied)' <<<"$out") == "allowed: read /home/u/proj/a
denied: write /home/u/proj/a
denied: read /home/u/.ssh/id_rsa
denied: write /home/u/.ssh/id_rsa" ]] || { echo "FAIL: several questions answered as:"; echo "$out"; exit 1; }
[[ $(grep -c '^$' <<<"$out") == 3 ]] || { echo "FAIL: not one blank line between answers"; echo "$out"; exit 1; }
why --path /home/u/proj/a --path /home/u/proj/b --access read >/dev/null
# A word after a --path is the profile, not a second path.
"$NONOC" why --path /home/u/proj/a "$work/p.nono" --bind HOME=/home/u | grep -q "^allowed: read /home/u/proj/a"
echo "why: ok"
