#!/usr/bin/env bash
# Runs every test: unit, integration (SQLite and a throwaway PostgreSQL server), and browser (Debian's Chromium).
# Installs what the tests need when it is missing. Prints the summary; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing test prerequisites: ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Playwright drives the Debian browser; it must never try to download one.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Analyzers and code style are enforced by the build itself (warnings are errors); formatting is checked here.
dotnet build Chorus.slnx -c Debug -nologo -clp:ErrorsOnly
dotnet format whitespace Chorus.slnx --verify-no-changes

results=artifacts/test-results
rm -rf "$results"
status=0
for project in tests/Chorus.UnitTests tests/Chorus.IntegrationTests tests/Chorus.BrowserTests; do
  echo "== $project"
  dotnet test "$project" --no-build -nologo --logger "trx" --results-directory "$results/$(basename "$project")" \
    || status=1
done

# One closing line over all projects, from the TRX counters.
passed=0; failed=0; skipped=0
counter() { grep -o "<Counters [^>]*" "$1" | grep -o " $2=\"[0-9]*\"" | grep -o "[0-9]*" || echo 0; }
while IFS= read -r trx; do
  passed=$((passed + $(counter "$trx" passed)))
  failed=$((failed + $(counter "$trx" failed) + $(counter "$trx" error) + $(counter "$trx" timeout)))
  skipped=$((skipped + $(counter "$trx" notExecuted)))
done < <(find "$results" -name '*.trx')
if [ "$passed" -eq 0 ]; then status=1; fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit $status
