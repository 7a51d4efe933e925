using System.Net;
using System.Net.Http.Headers;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Management;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Latchkey.Server.Tests.Protocol;

/// <summary>
/// Refresh-token rules seen in the store, not only on the wire: a replay revokes the authorization as well as its
/// tokens, a non-rotating client's reuse revokes nothing, a redeemed token of a deleted client has no reuse interval
/// left, and a token whose entry is gone is refused like any unknown token. The wire answer of every refused refresh
/// is the same Auth0 text, so the store is where the reason shows. Each test has a server of its own, so
/// the subject's authorizations and tokens are only the test's.
/// </summary>
public sealed class RefreshTokenStoreStateTests
{
    private const string UnknownRefreshToken = """{"error":"invalid_grant","error_description":"Unknown or invalid refresh token."}""";

    [Fact]
    [Trait("Rule", "RT-2")]
    public async Task Refresh_ReplayAfterRotation_RevokesTheAuthorizationAndEveryToken()
    {
        await using var server = await LatchkeyTestServer.StartAsync(ProtocolTenant.Json);
        var first = await new CodeFlow().RunAsync(server);
        using var client = server.CreateClient();
        var rt1 = (string)first["refresh_token"]!;
        Assert.Equal(HttpStatusCode.OK, (await CodeFlow.RefreshAsync(client, ProtocolTenant.SpaClient, rt1)).StatusCode);

        var replay = await CodeFlow.RefreshAsync(client, ProtocolTenant.SpaClient, rt1);

        Assert.Equal(UnknownRefreshToken, await replay.Content.ReadAsStringAsync());
        var subject = (string)TokenClient.Decode((string)first["access_token"]!).Payload["sub"]!;
        await using var scope = server.Services.CreateAsyncScope();
        var authorizations = scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>();
        var tokens = scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>();
        var seen = 0;
        await foreach (var authorization in authorizations.FindBySubjectAsync(subject))
        {
            seen++;
            Assert.Equal(Statuses.Revoked, await authorizations.GetStatusAsync(authorization));
        }

        Assert.True(seen > 0, "the code flow created no authorization");
        await foreach (var token in tokens.FindBySubjectAsync(subject))
        {
            if (await tokens.HasTypeAsync(token, TokenTypeHints.RefreshToken))
            {
                Assert.NotEqual(Statuses.Valid, await tokens.GetStatusAsync(token));
            }
        }
    }

    [Fact]
    [Trait("Rule", "RT-2")]
    public async Task Refresh_TokenEntryDeleted_RefusedAsUnknownNeverServerError()
    {
        await using var server = await LatchkeyTestServer.StartAsync(ProtocolTenant.Json);
        var first = await new CodeFlow().RunAsync(server);
        using var client = server.CreateClient();
        var subject = (string)TokenClient.Decode((string)first["access_token"]!).Payload["sub"]!;
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var tokens = scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>();
            var entries = new List<object>();
            await foreach (var token in tokens.FindBySubjectAsync(subject))
            {
                entries.Add(token);
            }

            Assert.NotEmpty(entries);
            foreach (var token in entries)
            {
                await tokens.DeleteAsync(token);
            }
        }

        var response = await CodeFlow.RefreshAsync(client, ProtocolTenant.SpaClient, (string)first["refresh_token"]!);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(UnknownRefreshToken, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    [Trait("Rule", "R6.4")]
    public async Task Refresh_NonRotatingClientReusesARedeemedToken_AcceptedAndNothingRevoked()
    {
        await using var server = await LatchkeyTestServer.StartAsync(ProtocolTenant.Json);
        var first = await new CodeFlow { ClientId = ProtocolTenant.NonRotatingClient }.RunAsync(server);
        using var client = server.CreateClient();
        var rt1 = (string)first["refresh_token"]!;
        Assert.Equal(HttpStatusCode.OK, (await CodeFlow.RefreshAsync(client, ProtocolTenant.NonRotatingClient, rt1)).StatusCode);

        // Leeway 0: for a rotating client this would be a replay. A non-rotating client may always use its token again.
        var second = await CodeFlow.RefreshAsync(client, ProtocolTenant.NonRotatingClient, rt1);
        var third = await CodeFlow.RefreshAsync(client, ProtocolTenant.NonRotatingClient, rt1);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.False(string.IsNullOrEmpty((string?)(await second.ReadJsonObjectAsync())["access_token"]));
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        var statuses = await AuthorizationStatusesAsync(server, first);
        Assert.NotEmpty(statuses);
        Assert.All(statuses, status => Assert.Equal(Statuses.Valid, status));
    }

    [Fact]
    [Trait("Rule", "RT-2")]
    public async Task Refresh_RedeemedTokenOfADeletedClient_IsAReplayThatRevokesTheAuthorization()
    {
        await using var server = await LatchkeyTestServer.StartAsync(ProtocolTenant.Json);
        // The leeway client would take its own redeemed token back for 60 s; a deleted client has no reuse interval.
        var first = await new CodeFlow { ClientId = ProtocolTenant.LeewayClient }.RunAsync(server);
        using var client = server.CreateClient();
        var rt1 = (string)first["refresh_token"]!;
        Assert.Equal(HttpStatusCode.OK, (await CodeFlow.RefreshAsync(client, ProtocolTenant.LeewayClient, rt1)).StatusCode);
        using var admin = server.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            ManagementTokens.Mint(server, "ops@clients", "delete:clients", audience: server.Issuer + "api/v2/", issuer: server.Issuer, client: true));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(new Uri($"api/v2/clients/{ProtocolTenant.LeewayClient}", UriKind.Relative))).StatusCode);

        // Deleting the client revoked its valid tokens, not the redeemed one: presented (by another client) it is a replay.
        var replay = await CodeFlow.RefreshAsync(client, ProtocolTenant.SpaClient, rt1);

        Assert.Equal(UnknownRefreshToken, await replay.Content.ReadAsStringAsync());
        var statuses = await AuthorizationStatusesAsync(server, first);
        Assert.NotEmpty(statuses);
        Assert.All(statuses, status => Assert.Equal(Statuses.Revoked, status));
    }

    /// <summary>The status of every authorization of the user the token response <paramref name="issued"/> is for.</summary>
    private static async Task<List<string?>> AuthorizationStatusesAsync(LatchkeyTestServer server, System.Text.Json.Nodes.JsonObject issued)
    {
        var subject = (string)TokenClient.Decode((string)issued["access_token"]!).Payload["sub"]!;
        await using var scope = server.Services.CreateAsyncScope();
        var authorizations = scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>();
        var statuses = new List<string?>();
        await foreach (var authorization in authorizations.FindBySubjectAsync(subject))
        {
            statuses.Add(await authorizations.GetStatusAsync(authorization));
        }

        return statuses;
    }
}
