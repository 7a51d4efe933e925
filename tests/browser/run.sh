#!/usr/bin/env bash
# Browser tests: a real Latchkey (Release build, its own temp SQLite, tenant.json), the real sample API,
# the three sample apps and an auth0-js test page, driven by headless Debian Chromium through playwright-core.
# Prints node's test summary ("# pass N" / "# fail N") and exits non-zero when a test fails.
# Everything started here is stopped here, by process group, whatever happens.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

export LATCHKEY_PORT=${LATCHKEY_PORT:-5400} API_PORT=${API_PORT:-5401}
export REACT_PORT=${REACT_PORT:-5410} VANILLA_PORT=${VANILLA_PORT:-5411}
export ANGULAR_PORT=${ANGULAR_PORT:-5412} LEGACY_PORT=${LEGACY_PORT:-5413} REACT_RT_PORT=${REACT_RT_PORT:-5414}
host=127.0.0.1
latchkey="http://$host:$LATCHKEY_PORT"
api="http://$host:$API_PORT"
client_id=tests-spa
audience=https://quickstarts/api

results="$here/test-results"
mkdir -p "$results"
rm -f "$results"/*.png "$results"/*.log "$results"/tap.txt
work=$(mktemp -d)
pids=()

stop_all() {
  local pid
  for pid in "${pids[@]}"; do
    kill -TERM -- "-$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap stop_all EXIT
trap "exit 130" INT TERM

port_in_use() { (exec 3<>"/dev/tcp/$host/$1") 2>/dev/null; }
for port in "$LATCHKEY_PORT" "$API_PORT" "$REACT_PORT" "$VANILLA_PORT" "$ANGULAR_PORT" "$LEGACY_PORT" "$REACT_RT_PORT"; do
  if port_in_use "$port"; then
    echo "port $port on $host is already in use; set LATCHKEY_PORT/API_PORT/REACT_PORT/... (and tenant.json) to free ports" >&2
    exit 1
  fi
done

# Starts a command in its own session (so its whole process tree can be stopped) with output to a log.
# The session leader writes its own pid (setsid may fork, so $! is not always it).
start() {
  local name=$1; shift
  setsid bash -c 'echo $$ > "$0"; exec "$@"' "$work/$name.pid" "$@" >"$results/$name.log" 2>&1 < /dev/null &
  for _ in $(seq 50); do [ -s "$work/$name.pid" ] && break; sleep 0.1; done
  pids+=("$(cat "$work/$name.pid")")
}

wait_for() {
  local name=$1 url=$2
  for _ in $(seq 240); do
    if curl -fsS -o /dev/null "$url" 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  echo "== $name did not answer $url within 120 s; its log:" >&2
  tail -40 "$results/$name.log" >&2
  exit 1
}

# npm ci when node_modules is missing or older than the lock file (a dependency was added since).
ensure_npm() {
  if [ ! -f "$1/node_modules/.package-lock.json" ] || [ "$1/package-lock.json" -nt "$1/node_modules/.package-lock.json" ]; then
    (cd "$1" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

echo "== install (npm ci where node_modules is missing or stale)"
ensure_npm tests/browser
ensure_npm samples/react
ensure_npm samples/angular

echo "== build"
dotnet build src/Latchkey.Server -c Release -nologo -v q 2>&1 | tail -3
api_project=$(ls samples/api/*.csproj 2>/dev/null | head -1 || true)
if [ -z "$api_project" ]; then echo "samples/api has no project" >&2; exit 1; fi
dotnet build "$api_project" -c Release -nologo -v q 2>&1 | tail -3

# The React build bakes its Vite env in; build it for the test ports into temp folders, once with the
# default silent iframe and once with VITE_USE_REFRESH_TOKENS=true.
for mode in false true; do
  (cd samples/react && VITE_LATCHKEY_DOMAIN="$latchkey" VITE_LATCHKEY_CLIENT_ID="$client_id" \
    VITE_LATCHKEY_AUDIENCE="$audience" VITE_USE_REFRESH_TOKENS=$mode \
    npx vite build --outDir "$work/react-dist-$mode" --emptyOutDir --logLevel warn)
done

# The newcomer's path (README): Latchkey with the seeded development tenant on localhost:5000, the sample API on
# :3001 and the samples with their default configuration on :3000 (React) and :4200 (Angular). Needs those ports.
dev_stack=1
for port in 5000 3001 3000 4200; do
  if port_in_use "$port"; then
    echo "== port $port is in use: skipping the development-tenant test (the README's default ports)"
    dev_stack=0
  fi
done
if [ "$dev_stack" = 1 ]; then
  (cd samples/react && env -u VITE_LATCHKEY_DOMAIN -u VITE_LATCHKEY_CLIENT_ID -u VITE_LATCHKEY_AUDIENCE -u VITE_USE_REFRESH_TOKENS \
    npx vite build --mode production --outDir "$work/react-dist-dev" --emptyOutDir --logLevel warn)
fi
# The Angular build reads its config at run time (serve.mjs), so the sample's own dist is reused when fresh.
if [ ! -f samples/angular/dist/browser/index.html ] || \
   [ -n "$(find samples/angular/src samples/angular/public samples/angular/angular.json samples/angular/package-lock.json -newer samples/angular/dist/browser/index.html 2>/dev/null | head -1)" ]; then
  (cd samples/angular && npx ng build --progress=false 2>&1 | tail -4)
fi

echo "== start"
start latchkey dotnet run --project src/Latchkey.Server -c Release --no-build -- \
  --urls "$latchkey" \
  --ConnectionStrings:Latchkey "Data Source=$work/latchkey.db" \
  --Latchkey:Import "$here/tenant.json" \
  --Latchkey:SeedDevelopmentTenant false
start api dotnet run --project "$api_project" -c Release --no-build -- \
  --urls "$api" \
  --Latchkey:Authority "$latchkey/" \
  --Latchkey:Audience "$audience" \
  --Cors:Origins:0 "http://$host:$VANILLA_PORT" \
  --Cors:Origins:1 "http://$host:$ANGULAR_PORT" \
  --Cors:Origins:2 "http://$host:$LEGACY_PORT"
start react env VITE_HOST=$host VITE_PORT="$REACT_PORT" VITE_API_URL="$api" \
  bash -c "cd samples/react && exec npx vite preview --outDir '$work/react-dist-false'"
start react-refresh-tokens env VITE_HOST=$host VITE_PORT="$REACT_RT_PORT" VITE_API_URL="$api" \
  bash -c "cd samples/react && exec npx vite preview --outDir '$work/react-dist-true'"
start vanilla env HOST=$host PORT="$VANILLA_PORT" LATCHKEY_DOMAIN="$latchkey" LATCHKEY_CLIENT_ID="$client_id" \
  LATCHKEY_AUDIENCE="$audience" API_URL="$api/api" node samples/vanilla/server.js
start angular env HOST=$host PORT="$ANGULAR_PORT" LATCHKEY_DOMAIN="$latchkey" LATCHKEY_CLIENT_ID="$client_id" \
  LATCHKEY_AUDIENCE="$audience" API_URL="$api/api" node samples/angular/serve.mjs
start legacy node tests/browser/lib/static-server.mjs
if [ "$dev_stack" = 1 ]; then
  start dev-latchkey dotnet run --project src/Latchkey.Server -c Release --no-build -- \
    --ConnectionStrings:Latchkey "Data Source=$work/dev.db"
  start dev-api dotnet run --project "$api_project" -c Release --no-build
  start dev-react bash -c "cd samples/react && exec npx vite preview --outDir '$work/react-dist-dev'"
  start dev-angular env -u PORT -u HOST -u LATCHKEY_DOMAIN -u API_URL node samples/angular/serve.mjs
fi

wait_for latchkey "$latchkey/.well-known/openid-configuration"
wait_for api "$api/api/public"
wait_for react "http://$host:$REACT_PORT/"
wait_for react-refresh-tokens "http://$host:$REACT_RT_PORT/"
wait_for vanilla "http://$host:$VANILLA_PORT/"
wait_for angular "http://$host:$ANGULAR_PORT/"
wait_for legacy "http://$host:$LEGACY_PORT/legacy.html"
if [ "$dev_stack" = 1 ]; then
  wait_for dev-latchkey "http://localhost:5000/.well-known/openid-configuration"
  wait_for dev-api "http://localhost:3001/api/public"
  wait_for dev-react "http://localhost:3000/"
  wait_for dev-angular "http://localhost:4200/"
  # Printed once by the first start, as the README says.
  DEV_DEMO_PASSWORD=$(sed -n 's/.*Demo password *\([^ │]*\).*/\1/p' "$results/dev-latchkey.log" | head -1)
  export DEV_DEMO_PASSWORD
fi

echo "== tests"
# `run.sh tests/vanilla.test.mjs` runs one file (paths relative to tests/browser); default: all of them.
cd "$here"
if [ $# -gt 0 ]; then test_files=("$@"); else test_files=(tests/*.test.mjs); fi
set +e
(node --test --test-timeout=120000 --test-concurrency="${BROWSER_TEST_CONCURRENCY:-1}" \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$results/tap.txt" \
  "${test_files[@]}")
rc=$?
set -e
grep -E '^# (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) ' "$results/tap.txt" || true
echo "screenshots and server logs: $results"
exit $rc
