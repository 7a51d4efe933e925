#!/usr/bin/env bash
# Runs every test on a fresh machine: installs what the tests need (Debian chromium, npm packages),
# then the .NET suites (real Kestrel + SQLite/PostgreSQL), then the browser suites (real Chromium + real SDKs).
# Ends with one line "total: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

# The browser suites listen on fixed ports (5400-5414), so one run per machine at a time: a second run waits here.
exec 9>"${TMPDIR:-/tmp}/latchkey-test.lock"
flock 9
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

bash scripts/install-deps.sh

passed=0; failed=0
results=$(mktemp -d)

echo "== build"
dotnet build Latchkey.slnx -c Release -warnaserror 2>&1 | tail -3

echo "== format (dotnet format --verify-no-changes)"
if ! dotnet format Latchkey.slnx --verify-no-changes --no-restore; then
  echo "formatting differs: run 'dotnet format Latchkey.slnx'"
  failed=$((failed + 1))
fi

echo "== .NET tests"
set +e
# A test that runs 15 minutes is hung: the runner names it and stops its host instead of waiting for the CI limit.
dotnet test Latchkey.slnx -c Release --no-build --blame-hang-timeout 15m --blame-hang-dump-type none --logger "trx" --results-directory "$results" 2>&1 | grep -vE '^\s*$' | tail -40
dotnet_rc=${PIPESTATUS[0]}
set -e
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  p=$(grep -o 'passed="[0-9]*"' "$trx" | head -1 | grep -o '[0-9]*' || echo 0)
  f=$(grep -o 'failed="[0-9]*"' "$trx" | head -1 | grep -o '[0-9]*' || echo 0)
  passed=$((passed + p)); failed=$((failed + f))
done
if [ "$dotnet_rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=$((failed + 1)); fi

if [ -x tests/browser/run.sh ]; then
  echo "== browser tests"
  set +e
  tests/browser/run.sh 2>&1 | tee "$results/browser.log"
  browser_rc=${PIPESTATUS[0]}
  set -e
  p=$(grep -E '^# pass [0-9]+' "$results/browser.log" | awk '{s+=$3} END {print s+0}')
  f=$(grep -E '^# fail [0-9]+' "$results/browser.log" | awk '{s+=$3} END {print s+0}')
  passed=$((passed + p)); failed=$((failed + f))
  if [ "$browser_rc" -ne 0 ] && [ "$f" -eq 0 ]; then failed=$((failed + 1)); fi
fi

echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
