using Latchkey.Server.Persistence;
using Latchkey.Server.Tenants;
using Latchkey.Server.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.Server.Tests.Tenants;

/// <summary>
/// A restart with the tenant file the last import applied skips the import when nothing it sets has changed since
/// (docs/performance.md, finding 5), and applies it again, re-asserting the file, when anything has: the file, the
/// tenant configuration (the tenant version) or one of the file's users.
/// </summary>
public sealed class TenantImportSkipTests
{
    [Fact]
    public async Task Import_SameFileNothingChanged_IsSkipped()
    {
        using var host = new TenantHost();
        await (await host.BuildWithFileAsync(TenantFiles.Valid)).DisposeAsync();
        var before = await host.QueryAsync(ReadStateAsync);

        await (await host.BuildWithFileAsync(TenantFiles.Valid)).DisposeAsync();

        // An applied file bumps the tenant version (TenantWriter) and records a new import time; a skipped one neither.
        var after = await host.QueryAsync(ReadStateAsync);
        Assert.Equal(before, after);
        Assert.Equal(after.Version, after.Import.TenantVersion);
    }

    [Fact]
    public async Task Import_SameFileAfterTenantChange_AppliesItAgain()
    {
        using var host = new TenantHost();
        await (await host.BuildWithFileAsync(TenantFiles.Valid)).DisposeAsync();
        await using (var app = await host.BuildDefaultAsync(null, "--Latchkey:SeedDevelopmentTenant", "false"))
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();
            await scope.ServiceProvider.GetRequiredService<TenantWriter>().WriteAsync(async ct =>
                (await db.Set<Application>().SingleAsync(a => a.ClientId == "orders-worker", ct)).Name = "Renamed through the Management API");
        }

        var before = await host.QueryAsync(ReadStateAsync);
        await (await host.BuildWithFileAsync(TenantFiles.Valid)).DisposeAsync();

        var after = await host.QueryAsync(ReadStateAsync);
        Assert.Equal("Orders worker", await host.QueryAsync(db => db.Set<Application>().Where(a => a.ClientId == "orders-worker").Select(a => a.Name).SingleAsync()));
        Assert.Equal(before.Version + 1, after.Version);
        Assert.Equal(after.Version, after.Import.TenantVersion);
    }

    [Fact]
    public async Task Import_SameFileAfterUserChange_AppliesItAgain()
    {
        using var host = new TenantHost();
        await (await host.BuildWithFileAsync(TenantFiles.Valid)).DisposeAsync();

        // Users are not tenant configuration: a change to one moves no version, the users' digest catches it.
        await host.QueryAsync(db => db.Set<User>().Where(u => u.NormalizedEmail == "alice@example.com")
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.Name, "Mallory").SetProperty(x => x.Blocked, true)));
        await (await host.BuildWithFileAsync(TenantFiles.Valid)).DisposeAsync();

        var alice = await host.QueryAsync(db => db.Set<User>().SingleAsync(u => u.NormalizedEmail == "alice@example.com"));
        Assert.Equal("Alice", alice.Name);

        // The file does not set "blocked", so the import leaves it; what it sets (the name) is re-asserted.
        Assert.True(alice.Blocked);
        var state = await host.QueryAsync(ReadStateAsync);
        await (await host.BuildWithFileAsync(TenantFiles.Valid)).DisposeAsync();
        Assert.Equal(state, await host.QueryAsync(ReadStateAsync));
    }

    [Fact]
    public async Task Import_ChangedFile_AppliesIt()
    {
        using var host = new TenantHost();
        await (await host.BuildWithFileAsync(TenantFiles.Valid)).DisposeAsync();
        var before = await host.QueryAsync(ReadStateAsync);

        await (await host.BuildWithFileAsync(TenantFiles.ValidChanged)).DisposeAsync();

        var after = await host.QueryAsync(ReadStateAsync);
        Assert.Equal("Orders v2", await host.QueryAsync(db => db.Set<Api>().Where(a => a.Identifier == "https://orders.example.com").Select(a => a.Name).SingleAsync()));
        Assert.NotEqual(before.Import.FileHash, after.Import.FileHash);
        Assert.Equal(after.Version, after.Import.TenantVersion);
    }

    private static async Task<State> ReadStateAsync(LatchkeyDbContext db)
    {
        var version = await db.Set<TenantVersion>().AsNoTracking().SingleAsync();
        var import = await db.Set<TenantFileImport>().AsNoTracking().SingleAsync();
        return new State(version.Version, import.FileHash, import.TenantVersion, import.UsersDigest, import.ImportedAt);
    }

    private sealed record State(long Version, string FileHash, long ImportVersion, string UsersDigest, DateTimeOffset ImportedAt)
    {
        public (string FileHash, long TenantVersion) Import => (FileHash, ImportVersion);
    }
}
