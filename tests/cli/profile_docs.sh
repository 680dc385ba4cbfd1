#!/usr/bin/env bash
# docs/profiles.md is what scripts/gen-profile-docs writes now: it cannot drift from the profiles.
set -euo pipefail
fresh=$(mktemp)
trap 'rm -f "$fresh"' EXIT
"$NONO_REPO/scripts/gen-profile-docs" "$fresh"
if ! diff -u "$NONO_REPO/docs/profiles.md" "$fresh"; then
  echo "docs/profiles.md is stale: run scripts/gen-profile-docs"
  exit 1
fi
echo "profile docs: up to date"
