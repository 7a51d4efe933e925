using Npgsql;

namespace Latchkey.Server.Tests.Persistence;

/// <summary>
/// A fresh PostgreSQL database on the local server (scripts/install-deps.sh starts PostgreSQL 15 and creates the
/// <c>latchkey</c> role). <c>LATCHKEY_TEST_POSTGRES</c> overrides the admin connection string.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private const string DefaultAdmin = "Host=127.0.0.1;Port=5432;Username=latchkey;Password=latchkey;Database=postgres";

    private PostgresDatabase(string admin, string name)
    {
        AdminConnectionString = admin;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    private string AdminConnectionString { get; }

    public static async Task<PostgresDatabase> CreateAsync()
    {
        var admin = Environment.GetEnvironmentVariable("LATCHKEY_TEST_POSTGRES") ?? DefaultAdmin;
        var database = new PostgresDatabase(admin, "latchkey_test_" + Guid.NewGuid().ToString("N"));
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{database.Name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return database;
    }

    /// <summary>
    /// Takes the database away from every client (new connections refused, open ones terminated) or gives it back:
    /// an outage of this database only, never of the shared server other tests use.
    /// </summary>
    public async Task SetAvailableAsync(bool available)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var alter = new NpgsqlCommand($"ALTER DATABASE \"{Name}\" ALLOW_CONNECTIONS {(available ? "true" : "false")}", connection);
        await alter.ExecuteNonQueryAsync();
        if (!available)
        {
            await using var terminate = new NpgsqlCommand("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = @name", connection);
            terminate.Parameters.AddWithValue("name", Name);
            await terminate.ExecuteNonQueryAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await command.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 20)
            {
                // FORCE may not terminate an autovacuum worker that happens to be analysing the fresh database (it is
                // not our role's process); it finishes in milliseconds, so try again.
                await Task.Delay(250);
            }
        }
    }
}
