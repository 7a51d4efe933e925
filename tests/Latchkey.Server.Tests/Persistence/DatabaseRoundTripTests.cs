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
/// statements). The budgets are issue 12's; where today's count is above its budget, today's count is the ceiling
/// until the token-path work (docs/performance.md, "Proposals") brings it down.
/// </summary>
public sealed class DatabaseRoundTripTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>
    /// Issue 12's budget is 3 round trips for the code exchange and for the refresh rotation. Today's code exchange:
    /// the code row (joined with its application and authorization), the user, the redemption UPDATE, the application
    /// again (by id, for the new token row), the refresh token INSERT.
    /// </summary>
    private const int CodeCeilingToday = 5;

    /// <summary>
    /// Issue 12's budget: 3. Today's rotation: the refresh-token row (joined), the user, the redemption UPDATE twice
    /// (RejectConcurrentRefresh claims it, then OpenIddict's RedeemTokenEntry writes it again), the application by id,
    /// the successor's INSERT.
    /// </summary>
    private const int RefreshCeilingToday = 6;

    private LatchkeyTestServer _server = null!;
    private DatabaseCommandCounter _counter = null!;

    public async Task InitializeAsync()
    {
        _server = await LatchkeyTestServer.StartWithServicesAsync(ProtocolTenant.Json, services =>
        {
            services.AddHttpContextAccessor();
            services.AddSingleton<DatabaseCommandCounter>();
            services.ConfigureDbContext<SqliteLatchkeyDbContext>((provider, db) => db.AddInterceptors(provider.GetRequiredService<DatabaseCommandCounter>()), ServiceLifetime.Singleton);
        });
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
    public async Task AuthorizationCode_Redemption_StaysWithinBudget()
    {
        using var browser = _server.CreateClient(new CookieContainer());
        var flow = new CodeFlow();
        var code = await flow.GetCodeAsync(_server, browser);

        var commands = await CountAsync(browser, tag => flow.RedeemAsync(Tagged(browser, tag), code));

        Assert.InRange(commands.Count, 1, CodeCeilingToday);
    }

    [Fact]
    public async Task Refresh_Rotation_StaysWithinBudget()
    {
        var tokens = await new CodeFlow().RunAsync(_server);
        using var client = _server.CreateClient();

        var commands = await CountAsync(client, tag => CodeFlow.RefreshAsync(Tagged(client, tag), ProtocolTenant.SpaClient, (string)tokens["refresh_token"]!));

        Assert.InRange(commands.Count, 1, RefreshCeilingToday);
    }

    private static HttpClient Tagged(HttpClient client, string tag)
    {
        client.DefaultRequestHeaders.Remove(DatabaseCommandCounter.HeaderName);
        client.DefaultRequestHeaders.Add(DatabaseCommandCounter.HeaderName, tag);
        return client;
    }

    private async Task<IReadOnlyList<string>> CountAsync(HttpClient client, Func<string, Task<HttpResponseMessage>> send)
    {
        var tag = Guid.NewGuid().ToString("N");
        using var response = await send(tag);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        client.DefaultRequestHeaders.Remove(DatabaseCommandCounter.HeaderName);
        var commands = _counter.CommandsFor(tag);
        output.WriteLine($"{commands.Count} commands:");
        foreach (var command in commands)
        {
            output.WriteLine("  " + command.ReplaceLineEndings(" "));
        }

        return commands;
    }
}
