using Latchkey.Server.Hosting;
using Latchkey.Server.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.Server.Tests.Tenants;

/// <summary>
/// One SQLite database that outlives several start-ups, so a test can import, restart with another file, and look
/// at what the real start-up path (<see cref="LatchkeyServer.BuildAsync"/>) left in the database.
/// </summary>
internal sealed class TenantHost : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "latchkey-tests", Guid.NewGuid().ToString("N"));

    public TenantHost() => Directory.CreateDirectory(_directory);

    public const string Issuer = "http://127.0.0.1:7391/";

    public string TenantFile => Path.Combine(_directory, "tenant.json");

    /// <summary>Builds (does not start) the server with <paramref name="tenantJson"/> as the import file.</summary>
    public async Task<WebApplication> BuildWithFileAsync(string tenantJson)
    {
        await File.WriteAllTextAsync(TenantFile, tenantJson);
        return await LatchkeyServer.BuildAsync([.. CommonArgs(), "--Latchkey:Import", TenantFile, "--Latchkey:SeedDevelopmentTenant", "false"]);
    }

    /// <summary>Builds (does not start) the server with the file already at <see cref="TenantFile"/> (any bytes).</summary>
    public Task<WebApplication> BuildWithExistingFileAsync() =>
        LatchkeyServer.BuildAsync([.. CommonArgs(), "--Latchkey:Import", TenantFile, "--Latchkey:SeedDevelopmentTenant", "false"]);

    /// <summary>Builds the server with no import: in Development the development tenant is seeded if the database is empty.</summary>
    public Task<WebApplication> BuildDefaultAsync(Action<IServiceCollection>? configureServices = null, params string[] extraArgs) =>
        LatchkeyServer.BuildAsync([.. CommonArgs(), .. extraArgs], configureServices);

    /// <summary>Reads the database through a server that neither imports nor seeds.</summary>
    public async Task<T> QueryAsync<T>(Func<LatchkeyDbContext, Task<T>> query)
    {
        await using var app = await LatchkeyServer.BuildAsync([.. CommonArgs(), "--Latchkey:SeedDevelopmentTenant", "false"]);
        await using var scope = app.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>());
    }

    /// <summary>Checks a client secret against a stored hash with the server's own hasher (its key is in the database).</summary>
    public async Task<Server.Tenants.ClientSecretVerification> VerifySecretAsync(string secret, string storedHash)
    {
        await using var app = await LatchkeyServer.BuildAsync([.. CommonArgs(), "--Latchkey:SeedDevelopmentTenant", "false"]);
        return app.Services.GetRequiredService<Server.Tenants.ClientSecretHasher>().Verify(secret, storedHash);
    }

    public Task<Counts> CountAsync() => QueryAsync(async db => new Counts(
        await db.Set<Server.Tenants.Api>().CountAsync(),
        await db.Set<Server.Tenants.Application>().CountAsync(a => a.ClientId != Server.Tenants.DashboardDefinition.ClientId),
        await db.Set<Server.Tenants.ClientGrant>().CountAsync(),
        await db.Set<Server.Tenants.Role>().CountAsync(r => r.Name != Server.Tenants.DashboardDefinition.AdministratorRole),
        await db.Set<Server.Users.User>().CountAsync()));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }

    /// <summary>The settings every start-up of this host uses (its address and database), e.g. for <c>export</c>.</summary>
    public string[] Settings => CommonArgs();

    private string[] CommonArgs() =>
    [
        "--urls", Issuer.TrimEnd('/'),
        "--ConnectionStrings:Latchkey", $"Data Source={Path.Combine(_directory, "latchkey.db")}",
        "--Logging:LogLevel:Default", "Warning",
        "--environment", "Development",
    ];

    internal sealed record Counts(int Apis, int Applications, int ClientGrants, int Roles, int Users);
}
