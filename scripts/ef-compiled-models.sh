#!/usr/bin/env bash
# Regenerates the EF Core compiled models the server runs on (src/Latchkey.Server/Persistence/CompiledModels/<Provider>),
# for both providers. Run it after every model change, with the migration (docs/architecture.md, "Schema changes"):
# CompiledModelTests fails while a compiled model differs from what OnModelCreating builds.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
# The old compiled models go first: EF Core finds them by an assembly attribute (nothing names them), so the build
# below compiles without them and the tool builds the model from OnModelCreating.
rm -rf src/Latchkey.Server/Persistence/CompiledModels
dotnet build src/Latchkey.Server -nologo -v q
for provider in Sqlite Postgres; do
  dotnet ef dbcontext optimize --no-build --project src/Latchkey.Server --context "${provider}LatchkeyDbContext" \
    --output-dir "Persistence/CompiledModels/$provider" --namespace "Latchkey.Server.Persistence.CompiledModels.$provider"
done
