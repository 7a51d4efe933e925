using System.Net;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Latchkey.Server.Tests.Protocol;

/// <summary>Refresh-only storage (docs/reference/openiddict.md §7): durable rows for codes and refresh tokens, none for access or ID tokens.</summary>
public sealed class TokenStorageTests
{
    [Fact]
    public async Task ClientCredentials_TokenIssued_WritesNoTokenRows()
    {
        await using var server = await LatchkeyTestServer.StartAsync(ProtocolTenant.Json);
        using var client = server.CreateClient();

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.ClientCredentialsAsync(ProtocolTenant.M2mClient, ProtocolTenant.M2mSecret, ProtocolTenant.Api)).StatusCode);
        }

        Assert.Empty(await TokenTypesAsync(server));
    }

    [Fact]
    public async Task CodeFlowAndRefresh_TokensIssued_StoreOnlyCodesAndRefreshTokens()
    {
        await using var server = await LatchkeyTestServer.StartAsync(ProtocolTenant.Json);
        var tokens = await new CodeFlow().RunAsync(server);
        using var client = server.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await CodeFlow.RefreshAsync(client, ProtocolTenant.SpaClient, (string)tokens["refresh_token"]!)).StatusCode);

        var types = await TokenTypesAsync(server);

        Assert.Equal(
            [TokenTypeIdentifiers.RefreshToken, TokenTypeIdentifiers.RefreshToken, TokenTypeIdentifiers.Private.AuthorizationCode],
            types.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Pruner_PastTheThreshold_RemovesRedeemedRowsAndKeepsTheLiveRefreshToken()
    {
        await using var server = await LatchkeyTestServer.StartAsync(ProtocolTenant.Json);
        var tokens = await new CodeFlow().RunAsync(server);
        using var client = server.CreateClient();
        var rotated = await (await CodeFlow.RefreshAsync(client, ProtocolTenant.SpaClient, (string)tokens["refresh_token"]!)).ReadJsonObjectAsync();
        var pruner = server.Services.GetRequiredService<Latchkey.Server.Protocol.ProtocolRowPruner>();

        var defaultThreshold = await pruner.ThresholdAsync(CancellationToken.None);
        var (removed, _) = await pruner.PruneAsync(DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None);

        // By default rows are kept for the longest refresh-token lifetime (Auth0's 30 days) plus a day.
        Assert.True(defaultThreshold < DateTimeOffset.UtcNow.AddDays(-30));
        Assert.Equal(2, removed);
        Assert.Equal([TokenTypeIdentifiers.RefreshToken], await TokenTypesAsync(server));
        Assert.Equal(HttpStatusCode.OK, (await CodeFlow.RefreshAsync(client, ProtocolTenant.SpaClient, (string)rotated["refresh_token"]!)).StatusCode);
    }

    private static async Task<List<string>> TokenTypesAsync(LatchkeyTestServer server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();
        return await db.Set<OpenIddictEntityFrameworkCoreToken>().Select(t => t.Type!).ToListAsync();
    }
}
