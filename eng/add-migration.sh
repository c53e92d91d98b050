#!/usr/bin/env bash
# Adds one migration with the same name to both providers' migration sets (STYLE.md §5).
# Usage: eng/add-migration.sh <Name>
set -euo pipefail
name=${1:?usage: eng/add-migration.sh <MigrationName>}
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
for provider in Sqlite Postgres; do
  dotnet ef migrations add "$name" --project src/Chorus.Web --context "${provider}AppDbContext" \
    --output-dir "Infrastructure/Data/Migrations/$provider"
done
echo "Added $name to both sets. Review both diffs (on SQLite, look for table rebuilds)."
