using Latchkey.Server.Hosting;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Protocol;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Latchkey.Server.Tests.Persistence;

/// <summary>Migrations at start-up by default, as a separate <c>migrate</c> step on request, and once for a cluster.</summary>
public sealed class MigrationStartupTests
{
    [Fact]
    public async Task TwoNodes_StartingTogetherOnEmptyPostgres_OnlyOneMigrates()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        List<string> allMigrations;
        using (var design = new PostgresDesignTimeFactory().CreateDbContext([]))
        {
            allMigrations = [.. design.Database.GetMigrations()];
        }

        // Hold the start-up lock ourselves so both nodes find the schema empty and queue on the lock: a deterministic
        // race instead of a hoped-for one. Release it once both are waiting.
        await using var holder = new NpgsqlConnection(database.ConnectionString);
        await holder.OpenAsync();
        await ExecuteAsync(holder, $"SELECT pg_advisory_lock({AdvisoryLock.StartupKey})");

        var startA = LatchkeyTestServer.StartAsync(ProtocolTenant.Json, "--ConnectionStrings:Latchkey", database.ConnectionString);
        var startB = LatchkeyTestServer.StartAsync(ProtocolTenant.Json, "--ConnectionStrings:Latchkey", database.ConnectionString);
        var waiting = await Eventually.PollAsync(() => WaitersAsync(holder), n => n == 2, TimeSpan.FromSeconds(60));
        Assert.Equal(2, waiting);
        await ExecuteAsync(holder, $"SELECT pg_advisory_unlock({AdvisoryLock.StartupKey})");

        await using var nodeA = await startA;
        await using var nodeB = await startB;
        var applied = new[] { nodeA, nodeB }.Select(n => n.Services.GetRequiredService<DatabaseMigrator>().Applied).ToList();

        Assert.Contains(applied, a => a.Count == 0);
        Assert.Contains(applied, a => a.SequenceEqual(allMigrations));
    }

    [Fact]
    public async Task Start_MigrateFalseOnEmptyDatabase_RefusesAndNamesTheMigrateCommand()
    {
        using var folder = new TempFolder();

        var error = await Assert.ThrowsAsync<SchemaNotCurrentException>(() => LatchkeyServer.BuildAsync(
            ["--urls", "http://127.0.0.1:0", "--ConnectionStrings:Latchkey", folder.SqliteConnectionString, "--Latchkey:Database:Migrate", "false"]));

        Assert.Contains("migrate", error.Message, StringComparison.Ordinal);
        Assert.NotEmpty(error.Pending);
    }

    [Fact]
    public async Task MigrateCommand_ThenStartWithMigrateFalse_StartsOnTheMigratedSchema()
    {
        using var folder = new TempFolder();
        string[] connection = ["--ConnectionStrings:Latchkey", folder.SqliteConnectionString];

        using var first = new StringWriter();
        Assert.Equal(0, await LatchkeyServer.MigrateAsync(connection, first));
        using var second = new StringWriter();
        Assert.Equal(0, await LatchkeyServer.MigrateAsync(connection, second));
        await using var server = await LatchkeyTestServer.StartAsync(ProtocolTenant.Json, [.. connection, "--Latchkey:Database:Migrate", "false"]);
        using var client = server.CreateClient();

        Assert.StartsWith("Applied ", first.ToString(), StringComparison.Ordinal);
        Assert.Equal("The database schema is current.", second.ToString().Trim());
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("health/ready")).StatusCode);
    }

    private static async Task<long> WaitersAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private sealed class TempFolder : IDisposable
    {
        private readonly string _path = Directory.CreateTempSubdirectory("latchkey-migrate-").FullName;

        public string SqliteConnectionString => $"Data Source={Path.Combine(_path, "latchkey.db")}";

        public void Dispose()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_path, recursive: true);
        }
    }
}
