using System.Net;

namespace Latchkey.Server.Tests.Protocol;

public sealed class CodeReplayTests(ProtocolServerFixture fixture) : IClassFixture<ProtocolServerFixture>
{
    [Fact]
    public async Task CODE1_SecondRedemption_IsInvalidGrantJson()
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
    public async Task CODE2_Replay_RevokesTheRefreshTokenItIssued()
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
    public async Task CODE4_CodeRedeemedByAnotherClient_IsInvalidGrant()
    {
        var flow = new CodeFlow();
        using var client = fixture.Server.CreateClient(new CookieContainer());
        var code = await flow.GetCodeAsync(fixture.Server, client);

        var response = await flow.RedeemAsync(client, code, clientId: ProtocolTenant.LeewayClient);

        await CodeFlowTests.AssertErrorAsync(response, "invalid_grant");
    }

    [Fact]
    public async Task CODE5_DifferentRedirectUri_IsInvalidGrant()
    {
        var flow = new CodeFlow();
        using var client = fixture.Server.CreateClient(new CookieContainer());
        var code = await flow.GetCodeAsync(fixture.Server, client);

        var response = await flow.RedeemAsync(client, code, redirectUri: "http://localhost:3000/other");

        await CodeFlowTests.AssertErrorAsync(response, "invalid_grant");
    }

    [Fact]
    public async Task CODE8_InvalidReplayOfRedeemedCode_DoesNotRevokeIssuedTokens()
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
