using Latchkey.Server.Persistence;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Protocol;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.Server.Tests.Persistence;

/// <summary>The SQLite settings every connection of the server runs with (docs/configuration.md, docs/performance.md).</summary>
public sealed class SqliteSettingsTests
{
    [Fact]
    public async Task DefaultSettings_ConnectionsUseWalNormalSyncAndABusyTimeout()
    {
        await using var server = await LatchkeyTestServer.StartAsync(ProtocolTenant.Json);

        var pragmas = await PragmasAsync(server);

        Assert.Equal(("wal", 1L, 30_000L), pragmas);
    }

    [Fact]
    public async Task SynchronousFull_Configured_EveryCommitIsSynced()
    {
        await using var server = await LatchkeyTestServer.StartAsync(ProtocolTenant.Json, "--Latchkey:Sqlite:Synchronous", "Full");

        var pragmas = await PragmasAsync(server);

        Assert.Equal(("wal", 2L, 30_000L), pragmas);
    }

    [Fact]
    public async Task SynchronousSetting_UnknownValue_FailsStartNamingTheKey()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            LatchkeyTestServer.StartAsync(ProtocolTenant.Json, "--Latchkey:Sqlite:Synchronous", "Sometimes"));

        Assert.Contains(PersistenceServiceCollectionExtensions.SqliteSynchronousKey, error.Message, StringComparison.Ordinal);
    }

    private static async Task<(string JournalMode, long Synchronous, long BusyTimeout)> PragmasAsync(LatchkeyTestServer server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();
        await db.Database.OpenConnectionAsync();
        try
        {
            var connection = db.Database.GetDbConnection();
            async Task<object?> ScalarAsync(string sql)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = sql;
                return await command.ExecuteScalarAsync();
            }

            return ((string)(await ScalarAsync("PRAGMA journal_mode"))!, (long)(await ScalarAsync("PRAGMA synchronous"))!, (long)(await ScalarAsync("PRAGMA busy_timeout"))!);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
