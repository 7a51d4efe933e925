using System.Net;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tenants;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Protocol;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;

namespace Latchkey.Server.Tests.Tenants;

/// <summary>
/// Every tenant write goes through <see cref="TenantWriter"/>: the change and the version bump commit together, the
/// writing node serves the change at once, a failed write leaves neither behind, and subscribers hear of it.
/// </summary>
public sealed class TenantWriterTests
{
    [Fact]
    public async Task Write_Committed_BumpsVersionAndThisNodeServesTheChangeAtOnce()
    {
        await using var server = await LatchkeyTestServer.StartAsync(ProtocolTenant.Json);
        using var client = server.CreateClient();
        var before = await VersionAsync(server);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.ClientCredentialsAsync(ProtocolTenant.UngrantedM2mClient, ProtocolTenant.UngrantedM2mSecret, ProtocolTenant.Api)).StatusCode);

        await WriteAsync(server, db => db.Add(new ClientGrant { ClientId = ProtocolTenant.UngrantedM2mClient, Audience = ProtocolTenant.Api, Scope = ["read:messages"] }));

        Assert.Equal(before + 1, await VersionAsync(server));
        Assert.Equal(before + 1, (await server.Services.GetRequiredService<TenantCache>().GetAsync()).TenantVersion);
        Assert.Equal(HttpStatusCode.OK, (await client.ClientCredentialsAsync(ProtocolTenant.UngrantedM2mClient, ProtocolTenant.UngrantedM2mSecret, ProtocolTenant.Api)).StatusCode);
    }

    [Fact]
    public async Task Write_ChangeThrows_NothingWrittenAndVersionUnchanged()
    {
        await using var server = await LatchkeyTestServer.StartAsync(ProtocolTenant.Json);
        var before = await VersionAsync(server);

        await Assert.ThrowsAsync<InvalidOperationException>(() => WriteAsync(server, db =>
        {
            db.Add(new ClientGrant { ClientId = ProtocolTenant.UngrantedM2mClient, Audience = ProtocolTenant.Api, Scope = ["read:messages"] });
            db.SaveChanges();
            throw new InvalidOperationException("the second half of the change failed");
        }));

        Assert.Equal(before, await VersionAsync(server));
        await using var scope = server.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>().Set<ClientGrant>().AnyAsync(g => g.ClientId == ProtocolTenant.UngrantedM2mClient));
    }

    [Fact]
    public async Task ChangeToken_TenantWritten_FiresOnce()
    {
        await using var server = await LatchkeyTestServer.StartAsync(ProtocolTenant.Json);
        var cache = server.Services.GetRequiredService<TenantCache>();
        var fired = 0;
        using var subscription = ChangeToken.OnChange(cache.GetChangeToken, () => Interlocked.Increment(ref fired));

        await WriteAsync(server, db => db.Set<Api>().Single(a => a.Identifier == ProtocolTenant.PlainApi).Name = "Renamed");

        Assert.Equal(1, fired);
        Assert.Equal("Renamed", (await cache.GetAsync()).Apis[ProtocolTenant.PlainApi].Name);
    }

    [Fact]
    public async Task Cache_VersionMovedByAnotherWriter_ReloadsWithoutAnyRequestAsking()
    {
        await using var server = await LatchkeyTestServer.StartAsync(ProtocolTenant.Json);
        var cache = server.Services.GetRequiredService<TenantCache>();
        var before = (await cache.GetAsync()).TenantVersion;

        // Another node's write: the row and the version change in the database, this node's cache is not told.
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();
            await db.Set<Api>().Where(a => a.Identifier == ProtocolTenant.PlainApi).ExecuteUpdateAsync(a => a.SetProperty(x => x.Name, "Renamed elsewhere"));
            await db.Set<TenantVersion>().ExecuteUpdateAsync(v => v.SetProperty(x => x.Version, x => x.Version + 1));
        }

        var snapshot = await WaitForAsync(cache, s => s.TenantVersion > before, TimeSpan.FromSeconds(10));

        Assert.Equal("Renamed elsewhere", snapshot.Apis[ProtocolTenant.PlainApi].Name);
    }

    [Fact]
    public async Task WriteIfChanged_NothingSaved_VersionUnchangedAndNoReload()
    {
        await using var server = await LatchkeyTestServer.StartAsync(ProtocolTenant.Json);
        var cache = server.Services.GetRequiredService<TenantCache>();
        _ = await cache.GetAsync();
        var before = await VersionAsync(server);
        var fired = 0;
        using var subscription = ChangeToken.OnChange(cache.GetChangeToken, () => Interlocked.Increment(ref fired));

        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();
        var written = await scope.ServiceProvider.GetRequiredService<TenantWriter>().WriteIfChangedAsync(async ct =>
        {
            // Set to the value it has: EF Core sees no change, so nothing is saved.
            var api = await db.Set<Api>().SingleAsync(a => a.Identifier == ProtocolTenant.PlainApi, ct);
            api.Name = api.Name;
        });

        Assert.False(written);
        Assert.Equal(before, await VersionAsync(server));
        Assert.Equal(0, fired);
    }

    [Fact]
    public async Task WriteIfChanged_EntityChangedAndSavedByTheChange_BumpsVersionAndServesIt()
    {
        await using var server = await LatchkeyTestServer.StartAsync(ProtocolTenant.Json);
        var before = await VersionAsync(server);

        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();
        var written = await scope.ServiceProvider.GetRequiredService<TenantWriter>().WriteIfChangedAsync(async ct =>
        {
            (await db.Set<Api>().SingleAsync(a => a.Identifier == ProtocolTenant.PlainApi, ct)).Name = "Renamed";

            // Saved inside the change (as the Management API upsert does): still counted.
            await db.SaveChangesAsync(ct);
        });

        Assert.True(written);
        Assert.Equal(before + 1, await VersionAsync(server));
        Assert.Equal("Renamed", (await server.Services.GetRequiredService<TenantCache>().GetAsync()).Apis[ProtocolTenant.PlainApi].Name);
    }

    /// <summary>A restart with the same issuer: the built-in Management API and dashboard are as they should be, so no node reloads.</summary>
    [Fact]
    public async Task EnsureManagementApi_AlreadyCurrent_WritesNothingAndKeepsTheVersion()
    {
        await using var server = await LatchkeyTestServer.StartAsync(ProtocolTenant.Json);
        var before = await VersionAsync(server);

        await using var scope = server.Services.CreateAsyncScope();
        var written = await scope.ServiceProvider.GetRequiredService<TenantImporter>().EnsureManagementApiAsync();

        Assert.False(written);
        Assert.Equal(before, await VersionAsync(server));
    }

    /// <summary>
    /// The design's cost claim: a token request reads the tenant from memory, and only the watcher reads the version,
    /// at most twice a second whatever the load. Were the version read per request, 200 requests would read it 200 times.
    /// </summary>
    [Fact]
    public async Task TokenEndpoint_ManyRequests_TenantVersionReadOnlyByTheWatcher()
    {
        await using var server = await LatchkeyTestServer.StartAsync(ProtocolTenant.Json);
        string dataSource;
        await using (var scope = server.Services.CreateAsyncScope())
        {
            dataSource = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>().Database.GetDbConnection().DataSource;
        }

        using var client = server.CreateClient();
        using var commands = new DatabaseCommands(dataSource);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var requests = 0;

        // At least 200 requests, and long enough (three intervals) that the watcher has certainly polled: the client
        // credentials grant itself touches no table, so on a quiet machine 200 requests can finish before the first tick.
        while (requests < 200 || clock.Elapsed < TenantVersionWatcher.Interval * 3)
        {
            using var response = await client.ClientCredentialsAsync(ProtocolTenant.M2mClient, ProtocolTenant.M2mSecret, ProtocolTenant.Api);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            requests++;
        }

        var elapsed = clock.Elapsed;
        var versionReads = commands.Texts.Count(t => t.Contains("\"TenantVersion\"", StringComparison.Ordinal));
        Assert.True(versionReads >= 1, "the watcher's version reads were not observed");
        Assert.True(versionReads <= (elapsed / TenantVersionWatcher.Interval) + 2, $"{versionReads} version reads in {elapsed.TotalMilliseconds:F0} ms for {requests} token requests");
    }

    internal static async Task WriteAsync(LatchkeyTestServer server, Action<LatchkeyDbContext> change)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();
        await scope.ServiceProvider.GetRequiredService<TenantWriter>().WriteAsync(_ =>
        {
            change(db);
            return Task.CompletedTask;
        });
    }

    internal static async Task<long> VersionAsync(LatchkeyTestServer server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>().Set<TenantVersion>().Select(v => v.Version).SingleAsync();
    }

    private static async Task<TenantSnapshot> WaitForAsync(TenantCache cache, Func<TenantSnapshot, bool> condition, TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        while (true)
        {
            var snapshot = await cache.GetAsync();
            if (condition(snapshot))
            {
                return snapshot;
            }

            await Task.Delay(50, timeout.Token);
        }
    }
}
