using System.Net;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tenants;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Protocol;
using Latchkey.Server.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.Server.Tests.Persistence;

/// <summary>
/// A database written before account keys were lower-cased (they were the upper-cased address) is migrated at start:
/// its users can still log in, and re-importing the tenant file finds them instead of creating duplicates.
/// </summary>
public sealed class EmailKeyMigrationTests
{
    [Theory]
    [InlineData(StorageServer.Sqlite)]
    [InlineData(StorageServer.Postgres)]
    public async Task OldUpperCaseKeys_Restart_MigratedAndUsersLogIn(string provider)
    {
        var directory = Path.Combine(Path.GetTempPath(), "latchkey-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        await using var postgres = provider == StorageServer.Postgres ? await PostgresDatabase.CreateAsync() : null;
        var connection = postgres?.ConnectionString ?? $"Data Source={Path.Combine(directory, "old.db")}";

        await using (var before = await LatchkeyTestServer.StartAsync(ProtocolTenant.Json, "--ConnectionStrings:Latchkey", connection))
        {
            await using var scope = before.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();
            await db.Database.ExecuteSqlRawAsync("UPDATE \"Users\" SET \"NormalizedEmail\" = upper(\"NormalizedEmail\")");
            await db.Database.ExecuteSqlRawAsync("DELETE FROM \"__EFMigrationsHistory\" WHERE \"MigrationId\" LIKE '%_LowercaseEmailKeys'");
            Assert.Equal("ALICE@EXAMPLE.COM", await db.Set<User>().Select(u => u.NormalizedEmail).SingleAsync());
        }

        await using var after = await LatchkeyTestServer.StartAsync(ProtocolTenant.Json, "--ConnectionStrings:Latchkey", connection);
        await using (var scope = after.Services.CreateAsyncScope())
        {
            Assert.Equal(ProtocolTenant.UserEmail, await scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>().Set<User>().Select(u => u.NormalizedEmail).SingleAsync());
        }

        var tokens = await new CodeFlow().RunAsync(after);
        Assert.False(string.IsNullOrEmpty((string?)tokens["access_token"]));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }
}
