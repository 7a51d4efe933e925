using System.Net;

namespace Latchkey.Server.Tests.Protocol;

public sealed class CodeReplayTests(ProtocolServerFixture fixture) : IClassFixture<ProtocolServerFixture>
{
    [Fact]
    [Trait("Rule", "CODE-1")]
    public async Task Code_SecondRedemption_IsInvalidGrantJson()
    {
        var flow = new CodeFlow();
        using var client = fixture.Server.CreateClient(new CookieContainer());
        var code = await flow.GetCodeAsync(fixture.Server, client);

        var first = await flow.RedeemAsync(client, code);
        var second = await flow.RedeemAsync(client, code);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Equal("application/json", second.Content.Headers.ContentType?.MediaType);
        Assert.Equal("invalid_grant", (string?)(await second.ReadJsonObjectAsync())["error"]);
    }

    [Fact]
    [Trait("Rule", "CODE-2")]
    public async Task Code_Replay_RevokesTheRefreshTokenItIssued()
    {
        var flow = new CodeFlow();
        using var client = fixture.Server.CreateClient(new CookieContainer());
        var code = await flow.GetCodeAsync(fixture.Server, client);
        var issued = await (await flow.RedeemAsync(client, code)).ReadJsonObjectAsync();

        var replay = await flow.RedeemAsync(client, code);
        var refresh = await CodeFlow.RefreshAsync(client, ProtocolTenant.SpaClient, (string)issued["refresh_token"]!);

        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
        Assert.Equal("Unknown or invalid refresh token.", (string?)(await refresh.ReadJsonObjectAsync())["error_description"]);
    }

    [Fact]
    [Trait("Rule", "CODE-4")]
    public async Task Code_RedeemedByAnotherClient_IsInvalidGrant()
    {
        var flow = new CodeFlow();
        using var client = fixture.Server.CreateClient(new CookieContainer());
        var code = await flow.GetCodeAsync(fixture.Server, client);

        var response = await flow.RedeemAsync(client, code, clientId: ProtocolTenant.LeewayClient);

        await CodeFlowTests.AssertErrorAsync(response, "invalid_grant");
    }

    [Fact]
    [Trait("Rule", "CODE-5")]
    public async Task Code_DifferentRedirectUri_IsInvalidGrant()
    {
        var flow = new CodeFlow();
        using var client = fixture.Server.CreateClient(new CookieContainer());
        var code = await flow.GetCodeAsync(fixture.Server, client);

        var response = await flow.RedeemAsync(client, code, redirectUri: "http://localhost:3000/other");

        await CodeFlowTests.AssertErrorAsync(response, "invalid_grant");
    }

    [Fact]
    [Trait("Rule", "CODE-8")]
    public async Task Code_InvalidReplayAfterRedemption_DoesNotRevokeIssuedTokens()
    {
        var flow = new CodeFlow();
        using var client = fixture.Server.CreateClient(new CookieContainer());
        var code = await flow.GetCodeAsync(fixture.Server, client);
        var issued = await (await flow.RedeemAsync(client, code)).ReadJsonObjectAsync();

        // A replay that fails client checks (another client's id) is not a genuine redemption attempt by the owner.
        var bogus = await flow.RedeemAsync(client, code, clientId: "nobody");
        var refresh = await CodeFlow.RefreshAsync(client, ProtocolTenant.SpaClient, (string)issued["refresh_token"]!);

        Assert.True((int)bogus.StatusCode is 400 or 401);
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
    }
}
