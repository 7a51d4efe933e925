#!/usr/bin/env bash
# Mutation testing of the security-critical code with Stryker.NET (pinned in dotnet-tools.json). Not part of CI: it
# rebuilds and reruns tests once per mutant. See docs/testing.md ("Mutation testing").
#
#   scripts/mutation.sh                 # every set: aspnet, rules, protocol
#   scripts/mutation.sh aspnet rules    # only those sets
#
# Environment:
#   MUTATION_OUT              where reports and Stryker's logs go (default: artifacts/mutation, git-ignored)
#   MUTATION_MINUTES          time bound of each set's Stryker run (default: 30); a set cut off has no table, only
#                             the running counts in its stryker.log
#   MUTATION_CONCURRENCY      test runners Stryker runs at once (default: 1; the machine is shared)
#   MUTATION_REPORT_ONLY=1    run nothing: print the table of the sets' reports already in MUTATION_OUT
#
# Prints one row per file (killed, survived, no coverage, timeout, score) and ends with "mutation score: N%":
# (killed + timeout) / (killed + timeout + survived + no coverage), over every file of the sets that ran.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${MUTATION_OUT:-$root/artifacts/mutation}"
minutes="${MUTATION_MINUTES:-30}"
concurrency="${MUTATION_CONCURRENCY:-1}"
sets=("$@")
[[ ${#sets[@]} -eq 0 ]] && sets=(aspnet rules protocol)

# One set = one project Stryker mutates, the test project that kills its mutants, the files (globs relative to the
# project) and a test filter that keeps the initial coverage run to the tests that can matter (never the full suite).
set_project() {
  case "$1" in
    aspnet) echo "Latchkey.AspNetCore.csproj" ;;
    rules | protocol) echo "Latchkey.Server.csproj" ;;
    *) echo "unknown set: $1 (aspnet, rules, protocol)" >&2; exit 2 ;;
  esac
}

set_tests() {
  case "$1" in
    aspnet) echo "tests/Latchkey.AspNetCore.Tests" ;;
    *) echo "tests/Latchkey.Server.Tests" ;;
  esac
}

set_mutate() {
  case "$1" in
    aspnet)
      # Token validator, JWS preflight, ID-token rule, validated-token cache and hash, bearer handler.
      printf '%s\n' "**/Validation/LatchkeyTokenValidator.cs" "**/Validation/JwsPreflight.cs" "**/Validation/IdTokenRule.cs" \
        "**/Caching/ValidatedTokenCache.cs" "**/Caching/TokenHash.cs" "**/Caching/CachedToken.cs" \
        "**/Authentication/LatchkeyBearerHandler.cs" ;;
    rules)
      # Return-URL and tenant URL rules (pure functions).
      printf '%s\n' "**/Login/ReturnUrl.cs" "**/Tenants/Rules/UrlRules.cs" ;;
    protocol)
      # Refresh, code and client-credentials handlers, audience resolution, redirect-URI and logout-URL checks (the
      # client's exact URI lists and PKCE requirement handed to OpenIddict, the lookups by URI, returnTo, the logout
      # hint's client), client-secret and login throttles (the counting logic, not the entity), the Management API's
      # scope and current-user checks (the requirement and the caller's subject, kind and scopes it reads), the Actions
      # sandbox.
      printf '%s\n' "**/Protocol/Token/RejectConcurrentRefresh.cs" "**/Protocol/Token/ValidateTokenEntryWithClientLeeway.cs" \
        "**/Protocol/Token/RevokeFamilyOnValidCodeReplay.cs" "**/Protocol/Token/BurnCodeOnFailedExchange.cs" \
        "**/Protocol/Token/ValidateCodeVerifierFormat.cs" "**/Protocol/Token/ValidateClientCredentialsAudience.cs" \
        "**/Protocol/Token/ValidateClientSecretWithThrottle.cs" "**/Protocol/Clients/ClientAuthenticationThrottle.cs" \
        "**/Protocol/Audience/AudienceResolver.cs" "**/Protocol/Clients/ClientDirectory.cs" \
        "**/Protocol/Clients/LatchkeyApplicationManager.cs" "**/Protocol/Logout/MapReturnToParameter.cs" \
        "**/Protocol/Logout/LogoutEndpoint.cs" "**/AttackProtection/LoginThrottleService.cs" \
        "**/Management/ManagementScopeRequirement.cs" "**/Management/ManagementCaller.cs" "**/Actions/ActionSandbox.cs" ;;
  esac
}

set_filter() {
  case "$1" in
    aspnet) echo "FullyQualifiedName!~Differential" ;; # the express oracle needs npm packages and adds no kill
    rules) echo "FullyQualifiedName~ReturnUrlTests|FullyQualifiedName~UrlRulesTests|FullyQualifiedName~EntityRulesTests|FullyQualifiedName~LoginPageTests" ;;
    # Tests.Protocol.Browser holds the redirect-URI and logout tests (plain HTTP); only WebMessageBrowserTests drives
    # Chromium, so only it is left out. UsersApiTests pins the current-user check on /users/{id}; one tenant-log test
    # pins that a refresh replay is recorded as such (ferrt), which the wire answer does not show.
    protocol) echo "(FullyQualifiedName~Latchkey.Server.Tests.Protocol|FullyQualifiedName~Latchkey.Server.Tests.Login|FullyQualifiedName~Latchkey.Server.Tests.Actions|FullyQualifiedName~ManagementSurfaceTests|FullyQualifiedName~Latchkey.Server.Tests.Management.UsersApiTests|FullyQualifiedName~TenantLogEventsTests.CodeFlow_LoginExchangeRefreshAndReuse)&FullyQualifiedName!~WebMessageBrowserTests" ;;
  esac
}

cd "$root"
dotnet tool restore > /dev/null
mkdir -p "$out"
reports=()
for name in "${sets[@]}"; do
  if [[ "${MUTATION_REPORT_ONLY:-}" == 1 ]]; then
    [[ -f "$out/$name/reports/mutation-report.json" ]] && reports+=("$out/$name/reports/mutation-report.json")
    continue
  fi
  project="$(set_project "$name")"
  tests="$(set_tests "$name")"
  dir="$out/$name"
  rm -rf "$dir"
  mkdir -p "$dir"
  mapfile -t mutate < <(set_mutate "$name")
  node -e '
    const [file, project, filter, concurrency, ...mutate] = process.argv.slice(1);
    require("fs").writeFileSync(file, JSON.stringify({ "stryker-config": {
      project, mutate, "test-case-filter": filter, concurrency: Number(concurrency),
      "coverage-analysis": "perTest", configuration: "Release", reporters: ["json", "html", "dots"],
      "additional-timeout": 10000, "mutation-level": "Standard" } }, null, 2));
  ' "$dir/stryker-config.json" "$project" "$(set_filter "$name")" "$concurrency" "${mutate[@]}"
  echo "mutation: set $name ($project, ${#mutate[@]} files) — log: $dir/stryker.log, bound ${minutes} min" >&2
  # Stryker finds the project under test from the test project's directory.
  if (cd "$tests" && nice -n 10 timeout --kill-after=60 "${minutes}m" \
      dotnet stryker --config-file "$dir/stryker-config.json" --output "$dir" --skip-version-check) > "$dir/stryker.log" 2>&1; then
    reports+=("$dir/reports/mutation-report.json")
  else
    echo "mutation: set $name failed or ran out of time (exit $?); see $dir/stryker.log" >&2
  fi
done

[[ ${#reports[@]} -eq 0 ]] && { echo "mutation score: n/a (no set finished)"; exit 1; }
node -e '
  const fs = require("fs");
  const rows = [];
  const total = { killed: 0, survived: 0, noCoverage: 0, timeout: 0 };
  for (const report of process.argv.slice(1)) {
    const { files } = JSON.parse(fs.readFileSync(report, "utf8"));
    for (const [path, { mutants }] of Object.entries(files)) {
      const n = { killed: 0, survived: 0, noCoverage: 0, timeout: 0 };
      for (const m of mutants) {
        if (m.status === "Killed") n.killed++;
        else if (m.status === "Survived") n.survived++;
        else if (m.status === "NoCoverage") n.noCoverage++;
        else if (m.status === "Timeout") n.timeout++;
      }
      for (const k of Object.keys(total)) total[k] += n[k];
      if (n.killed + n.survived + n.noCoverage + n.timeout === 0) continue; // a file the set does not mutate
      rows.push([path.replace(/^.*?\/src\//, "src/"), n]);
    }
  }
  const score = n => { const d = n.killed + n.timeout + n.survived + n.noCoverage; return d === 0 ? "n/a" : (100 * (n.killed + n.timeout) / d).toFixed(1) + "%"; };
  const width = Math.max(4, ...rows.map(([p]) => p.length));
  console.log(`${"file".padEnd(width)}  killed  survived  no-coverage  timeout  score`);
  for (const [p, n] of rows.sort((a, b) => a[0].localeCompare(b[0]))) {
    console.log(`${p.padEnd(width)}  ${String(n.killed).padStart(6)}  ${String(n.survived).padStart(8)}  ${String(n.noCoverage).padStart(11)}  ${String(n.timeout).padStart(7)}  ${score(n).padStart(6)}`);
  }
  console.log(`mutation score: ${score(total)}`);
' "${reports[@]}"
