using System.Net;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Protocol;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Latchkey.Server.Tests.Persistence;

/// <summary>
/// Database round trips per grant: a regression guard for the token endpoint that times nothing (issue 12). Each count
/// is the number of commands EF Core sends while serving one token request (see docs/performance.md for the
/// statements). The budgets are issue 12's (3 round trips for a code exchange or a rotation, 0 for client_credentials).
/// On SQLite EF Core sends every statement of a <c>SaveChanges</c> as its own command (in-process, one transaction), so
/// the one write of a grant is two commands there; on PostgreSQL it is one batch, one round trip.
/// </summary>
public sealed class DatabaseRoundTripTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>
    /// Code exchange on SQLite: the code row (joined with its authorization), the user, OpenIddict's redemption UPDATE
    /// (its own write: a failed exchange must still burn the code), the refresh token INSERT.
    /// </summary>
    private const int CodeCeiling = 4;

    /// <summary>
    /// Rotation on SQLite: the refresh-token row (joined), the user, then one SaveChanges (one transaction): the
    /// redemption UPDATE under the concurrency token and the successor's INSERT.
    /// </summary>
    private const int RefreshCeiling = 4;

    /// <summary>On PostgreSQL the one write of a code exchange or a rotation is one batch: issue 12's budget.</summary>
    private const int PostgresCeiling = 3;

    private LatchkeyTestServer _server = null!;
    private DatabaseCommandCounter _counter = null!;

    public async Task InitializeAsync()
    {
        _server = await LatchkeyTestServer.StartWithServicesAsync(ProtocolTenant.Json, Count<SqliteLatchkeyDbContext>);
        _counter = _server.Services.GetRequiredService<DatabaseCommandCounter>();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ClientCredentials_WarmServer_MakesNoRoundTrip()
    {
        using var client = _server.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.ClientCredentialsAsync(ProtocolTenant.M2mClient, ProtocolTenant.M2mSecret, ProtocolTenant.Api)).StatusCode);

        var commands = await CountAsync(client, tag => Tagged(client, tag).ClientCredentialsAsync(ProtocolTenant.M2mClient, ProtocolTenant.M2mSecret, ProtocolTenant.Api));

        Assert.Empty(commands);
    }

    [Fact]
    public async Task ClientCredentials_WarmServer_BuildsNoDbContext()
    {
        using var client = _server.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.ClientCredentialsAsync(ProtocolTenant.M2mClient, ProtocolTenant.M2mSecret, ProtocolTenant.Api)).StatusCode);
        var tag = Guid.NewGuid().ToString("N");

        using var response = await Tagged(client, tag).ClientCredentialsAsync(ProtocolTenant.M2mClient, ProtocolTenant.M2mSecret, ProtocolTenant.Api);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, _server.Services.GetRequiredService<DbContextCounter>().BuiltFor(tag));
    }

    [Fact]
    public async Task Refresh_Rotation_BuildsOneDbContext()
    {
        var tokens = await new CodeFlow().RunAsync(_server);
        using var client = _server.CreateClient();
        var tag = Guid.NewGuid().ToString("N");

        using var response = await CodeFlow.RefreshAsync(Tagged(client, tag), ProtocolTenant.SpaClient, (string)tokens["refresh_token"]!);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, _server.Services.GetRequiredService<DbContextCounter>().BuiltFor(tag));
    }

    [Fact]
    public async Task AuthorizationCode_Redemption_StaysWithinBudget()
    {
        using var browser = _server.CreateClient(new CookieContainer());
        var flow = new CodeFlow();
        var code = await flow.GetCodeAsync(_server, browser);

        var commands = await CountAsync(browser, tag => flow.RedeemAsync(Tagged(browser, tag), code));

        Assert.InRange(commands.Count, 1, CodeCeiling);
    }

    [Fact]
    public async Task Refresh_Rotation_StaysWithinBudget()
    {
        var tokens = await new CodeFlow().RunAsync(_server);
        using var client = _server.CreateClient();

        var commands = await CountAsync(client, tag => CodeFlow.RefreshAsync(Tagged(client, tag), ProtocolTenant.SpaClient, (string)tokens["refresh_token"]!));

        Assert.InRange(commands.Count, 1, RefreshCeiling);
    }

    [Fact]
    public async Task CodeAndRefresh_OnPostgres_WriteInOneBatchWithinBudget()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var server = await LatchkeyTestServer.StartWithServicesAsync(
            ProtocolTenant.Json, Count<PostgresLatchkeyDbContext>, ["--ConnectionStrings:Latchkey", database.ConnectionString]);
        var counter = server.Services.GetRequiredService<DatabaseCommandCounter>();
        using var browser = server.CreateClient(new CookieContainer());
        var flow = new CodeFlow();
        var code = await flow.GetCodeAsync(server, browser);
        string? refreshToken = null;

        var exchange = await CountAsync(counter, browser, async tag =>
        {
            var response = await flow.RedeemAsync(Tagged(browser, tag), code);
            refreshToken = (string)(await response.ReadJsonObjectAsync())["refresh_token"]!;
            return response;
        });
        using var client = server.CreateClient();
        var rotation = await CountAsync(counter, client, tag => CodeFlow.RefreshAsync(Tagged(client, tag), ProtocolTenant.SpaClient, refreshToken!));

        Assert.InRange(exchange.Count, 1, PostgresCeiling + 1);
        Assert.InRange(rotation.Count, 1, PostgresCeiling);
        Assert.Contains(rotation, command => command.Contains("UPDATE", StringComparison.Ordinal) && command.Contains("INSERT", StringComparison.Ordinal));
    }

    private static void Count<TContext>(IServiceCollection services)
        where TContext : LatchkeyDbContext
    {
        services.AddHttpContextAccessor();
        services.AddSingleton<DatabaseCommandCounter>();
        DbContextCounter.Register<TContext>(services);
        services.ConfigureDbContext<TContext>((provider, db) => db.AddInterceptors(provider.GetRequiredService<DatabaseCommandCounter>()), ServiceLifetime.Singleton);
    }

    private static HttpClient Tagged(HttpClient client, string tag)
    {
        client.DefaultRequestHeaders.Remove(DatabaseCommandCounter.HeaderName);
        client.DefaultRequestHeaders.Add(DatabaseCommandCounter.HeaderName, tag);
        return client;
    }

    private Task<IReadOnlyList<string>> CountAsync(HttpClient client, Func<string, Task<HttpResponseMessage>> send) =>
        CountAsync(_counter, client, send);

    private async Task<IReadOnlyList<string>> CountAsync(DatabaseCommandCounter counter, HttpClient client, Func<string, Task<HttpResponseMessage>> send)
    {
        var tag = Guid.NewGuid().ToString("N");
        using var response = await send(tag);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        client.DefaultRequestHeaders.Remove(DatabaseCommandCounter.HeaderName);
        var commands = counter.CommandsFor(tag);
        output.WriteLine($"{commands.Count} commands:");
        foreach (var command in commands)
        {
            output.WriteLine("  " + command.ReplaceLineEndings(" "));
        }

        return commands;
    }
}
