#!/usr/bin/env bash
# Regenerates the segment-count fixtures and the grapheme break table from Twilio's calculator.
# npm runs in a temp folder so no node_modules lands in the repo.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$repo"/eng/segment-vectors/{package.json,package-lock.json,generate.mjs,tables.mjs} "$work"/
(cd "$work" && npm ci --no-audit --no-fund --silent && node generate.mjs "$repo" && node tables.mjs "$repo")
