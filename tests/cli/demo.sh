#!/usr/bin/env bash
# The README's demo, as a test: the agent finishes its job under examples/python-agent.nono,
# and the kernel refuses each of its five forbidden attempts (unsandboxed, all five succeed).
set -euo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=$("$NONO_REPO/examples/run-demo" "$NONO" "$work/demo")
echo "$out"
unsandboxed=$(sed -n '/== without nono/,/== with nono/p' <<<"$out")
sandboxed=$(sed -n '/== with nono/,$p' <<<"$out")
grep -q "agent: 0 of 5 forbidden attempts refused" <<<"$unsandboxed"
grep -q "agent: job done" <<<"$sandboxed"
grep -q "agent: 5 of 5 forbidden attempts refused by the kernel" <<<"$sandboxed"
[[ $(grep -cE " refused \((PermissionError: \[Errno 13\]|OSError: \[Errno 30\] Read-only file system)" <<<"$sandboxed") -eq 5 ]]
echo "demo: ok"
