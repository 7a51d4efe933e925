using System.Net;
using Latchkey.Server.Logs;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Management;
using Latchkey.Server.Tests.Persistence;
using Latchkey.Server.Tests.Protocol;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Latchkey.Server.Tests.Logs;

/// <summary>
/// The tenant log's queue and its upkeep: entries still queued when the server stops are written before it exits,
/// entries past <c>Latchkey:Logs:Retention</c> are pruned on the server's clock, and on a shared PostgreSQL database a
/// node skips the pass while another holds the pruning lock.
/// </summary>
public sealed class TenantLogLifecycleTests
{
    private const int Burst = 3000;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task GracefulStop_EntriesStillQueued_AreInTheDatabase(string provider)
    {
        await using var database = provider == "postgres" ? await PostgresDatabase.CreateAsync() : null;
        var sqliteFile = Path.Combine(Path.GetTempPath(), $"latchkey-logs-{Guid.NewGuid():N}.db");
        var connection = database?.ConnectionString ?? $"Data Source={sqliteFile}";
        try
        {
            var server = await LogsTenant.StartAsync(["--ConnectionStrings:Latchkey", connection]);
            using (var browser = server.CreateClient(new CookieContainer()))
            {
                await LoginDriver.LogInAsync(browser, ProtocolTenant.UserEmail, "not the password");
            }

            // A burst queued just before the stop: far more than one batch, so most of it is still in memory.
            var log = server.Services.GetRequiredService<TenantLog>();
            for (var i = 0; i < Burst; i++)
            {
                log.Write(new LogEntry(LogEventTypes.SuccessApiOperation) { Description = "burst" });
            }

            await server.DisposeAsync();

            Assert.Equal(Burst, await CountAsync(provider, connection, "sapi"));
            Assert.Equal(1, await CountAsync(provider, connection, "fp"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(sqliteFile);
        }
    }

    [Fact]
    public async Task Retention_ClockMovesPastIt_PrunesOldEntriesKeepsNewOnes()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        await using var server = await LatchkeyTestServer.StartAsync(LogsTenant.Json, clock,
            "--Latchkey:Issuer", ManagementTenant.Issuer, "--Latchkey:Logs:Retention", "01:00:00", "--Latchkey:Logs:PruneInterval", "00:10:00");
        using var browser = server.CreateClient(new CookieContainer());

        await LoginDriver.LogInAsync(browser, ProtocolTenant.UserEmail, "not the password");
        Assert.Equal(1, (await TypesAsync(server)).Count(t => t == "fp"));

        // Past the retention by an hour (a short retention: every timer of the server fires as the clock moves).
        clock.Advance(TimeSpan.FromHours(2));
        await LoginDriver.LogInAsync(browser, "nobody@example.com", "not the password");

        var left = await Eventually.PollAsync(() => TypesAsync(server), types => !types.Contains("fp") && types.Contains("fu"), TimeSpan.FromSeconds(20));
        Assert.DoesNotContain("fp", left);
        Assert.Contains("fu", left);
    }

    [Fact]
    public async Task Prune_TwoNodesOnePostgres_OnlyTheLockHolderPrunes()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var nodeA = await LogsTenant.StartAsync(database);
        await using var nodeB = await LogsTenant.StartAsync(database);
        await using (var scope = nodeA.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();
            db.Add(new LogEvent { LogId = LogIds.Next(DateTimeOffset.UtcNow), Date = DateTimeOffset.UtcNow.AddDays(-40), Type = "s" });
            await db.SaveChangesAsync();
        }

        var pruner = nodeB.Services.GetRequiredService<TenantLogPruner>();
        await using (var held = await AdvisoryLock.TryAcquireAsync(nodeA.Services, AdvisoryLock.LogPruneKey))
        {
            Assert.NotNull(held);
            Assert.Null(await pruner.PruneAsync(CancellationToken.None));
        }

        Assert.Equal(1, await pruner.PruneAsync(CancellationToken.None));
        Assert.Equal(0, await pruner.PruneAsync(CancellationToken.None));
    }

    /// <summary>The stored entries' types, read straight from the database (pruning is not an API).</summary>
    private static async Task<List<string>> TypesAsync(LatchkeyTestServer server)
    {
        return await Eventually.PollAsync(Read, types => types.Count > 0, TimeSpan.FromSeconds(20));

        async Task<List<string>> Read()
        {
            await using var scope = server.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>().Set<LogEvent>().Select(e => e.Type).ToListAsync();
        }
    }

    internal static async Task<long> CountAsync(string provider, string connectionString, string type)
    {
        const string Sql = """SELECT COUNT(*) FROM "LogEvents" WHERE "Type" = @type""";
        if (provider == "postgres")
        {
            await using var postgres = new NpgsqlConnection(connectionString);
            await postgres.OpenAsync();
            await using var command = new NpgsqlCommand(Sql, postgres);
            command.Parameters.AddWithValue("type", type);
            return (long)(await command.ExecuteScalarAsync())!;
        }

        await using var sqlite = new SqliteConnection(connectionString);
        await sqlite.OpenAsync();
        await using var query = sqlite.CreateCommand();
        query.CommandText = Sql;
        query.Parameters.AddWithValue("@type", type);
        return (long)(await query.ExecuteScalarAsync())!;
    }
}
