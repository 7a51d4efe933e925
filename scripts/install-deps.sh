#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine. Idempotent; fast when all is present.
set -euo pipefail
cd "$(dirname "$0")/.."
sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v wrk >/dev/null || need+=(wrk)
if [ ${#need[@]} -gt 0 ]; then
  echo "== apt-get install ${need[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}" >/dev/null
fi
# npm workspaces of the browser tests and samples, from their lock files.
for dir in tests/browser tests/differential tests/management-sdk samples/react samples/angular; do
  if [ -f "$dir/package-lock.json" ] && [ ! -d "$dir/node_modules" ]; then
    echo "== npm ci in $dir"
    # npm 11 with this registry leaves some platform-specific optional packages (rollup, msgpackr) out of a
    # lock file that `npm install` considers complete, and `npm ci` then refuses it; `npm install` from the
    # same lock installs the same versions.
    (cd "$dir" && { npm ci --no-audit --no-fund --loglevel=error 2>/dev/null || npm install --no-audit --no-fund --loglevel=error; })
  fi
done

# PostgreSQL 15 (on the machine; not started on a fresh one) for the PostgreSQL and two-node tests.
if command -v pg_ctlcluster >/dev/null; then
  if ! pg_lsclusters -h 2>/dev/null | awk '$1==15 && $2=="main" {print $4}' | grep -q online; then
    echo "== starting PostgreSQL 15"
    # Closed lock descriptors: the server outlives this script, and an inherited flock (fd 3 from `flock file cmd`, fd 9
    # from test.sh) would hold the suite lock for as long as PostgreSQL runs.
    $sudo_cmd pg_ctlcluster 15 main start 3>&- 9>&-
  fi
  for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 && break; sleep 0.5; done
  $sudo_cmd su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='latchkey'\" | grep -q 1 || psql -qc \"CREATE ROLE latchkey LOGIN PASSWORD 'latchkey' CREATEDB\"" >/dev/null
fi
