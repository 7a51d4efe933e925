using Latchkey.Server.Tests.Persistence;

namespace Latchkey.Server.Tests.Infrastructure;

/// <summary>
/// A <see cref="LatchkeyTestServer"/> on the storage a test names: <c>sqlite</c> (its own file) or <c>postgres</c> (a
/// fresh PostgreSQL database, dropped afterwards). For rules whose proof lives in the database (revocation, sessions,
/// stored hashes), so the same test runs on both providers.
/// </summary>
public sealed class StorageServer : IAsyncDisposable
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    private readonly PostgresDatabase? _database;

    private StorageServer(LatchkeyTestServer server, PostgresDatabase? database)
    {
        Server = server;
        _database = database;
    }

    public static TheoryData<string> Providers => new() { Sqlite, Postgres };

    public LatchkeyTestServer Server { get; }

    public static async Task<StorageServer> StartAsync(string provider, string? tenantJson, params string[] extraArgs)
    {
        if (provider == Sqlite)
        {
            return new StorageServer(await LatchkeyTestServer.StartAsync(tenantJson, extraArgs), null);
        }

        var database = await PostgresDatabase.CreateAsync();
        try
        {
            return new StorageServer(await LatchkeyTestServer.StartAsync(tenantJson, ["--ConnectionStrings:Latchkey", database.ConnectionString, .. extraArgs]), database);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
