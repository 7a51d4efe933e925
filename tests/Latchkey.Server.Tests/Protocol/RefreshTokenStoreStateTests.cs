using System.Net;
using Latchkey.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Latchkey.Server.Tests.Protocol;

/// <summary>
/// Refresh-token rules seen in the store, not only on the wire: a replay revokes the authorization as well as its
/// tokens, and a token whose entry is gone is refused like any unknown token. Each test has a server of its own, so
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
}
