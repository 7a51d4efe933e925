using System.Net;
using System.Net.Http.Headers;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Protocol;

public sealed class RefreshTokenTests(ProtocolServerFixture fixture) : IClassFixture<ProtocolServerFixture>
{
    /// <summary>Auth0's exact body; auth0-spa-js matches the description (docs/reference/auth0-wire.md R4.8).</summary>
    private const string UnknownRefreshToken = """{"error":"invalid_grant","error_description":"Unknown or invalid refresh token."}""";

    [Fact]
    [Trait("Rule", "RT-1")]
    [Trait("Rule", "R4.6")]
    [Trait("Rule", "R6.1")]
    public async Task Refresh_ValidToken_RotatesAndReturnsEveryTokenWithNumericExpiresIn()
    {
        var first = await new CodeFlow().RunAsync(fixture.Server);
        using var client = fixture.Server.CreateClient();
        var rt1 = (string)first["refresh_token"]!;

        var response = await CodeFlow.RefreshAsync(client, ProtocolTenant.SpaClient, rt1, ("redirect_uri", "http://localhost:3000"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonObjectAsync();
        var rt2 = (string?)body["refresh_token"];
        Assert.False(string.IsNullOrEmpty(rt2));
        Assert.NotEqual(rt1, rt2);
        Assert.Equal(System.Text.Json.JsonValueKind.Number, body["expires_in"]!.GetValueKind());
        Assert.Equal((string?)first["scope"], (string?)body["scope"]);
        var (_, at) = TokenClient.Decode((string)body["access_token"]!);
        Assert.Equal([ProtocolTenant.Api, fixture.Server.Issuer + "userinfo"], TokenClient.Strings(at["aud"]));
        Assert.Equal(["read:messages"], TokenClient.Strings(at["permissions"]));
        Assert.DoesNotContain(at, claim => claim.Key.StartsWith("oi_", StringComparison.Ordinal));
        var (_, oldId) = TokenClient.Decode((string)first["id_token"]!);
        var (_, newId) = TokenClient.Decode((string)body["id_token"]!);
        Assert.Equal((long)oldId["auth_time"]!, (long)newId["auth_time"]!);
        Assert.Equal((string?)oldId["sub"], (string?)newId["sub"]);
        Assert.Equal("Alice", (string?)newId["name"]);
        Assert.Equal(CodeFlowTests.AtHash((string)body["access_token"]!), (string?)newId["at_hash"]);
    }

    [Fact]
    [Trait("Rule", "RT-1")]
    [Trait("Rule", "R4.1")]
    public async Task Refresh_JsonBody_IsAccepted()
    {
        var first = await new CodeFlow().RunAsync(fixture.Server);
        using var client = fixture.Server.CreateClient();

        var response = await client.PostJsonAsync("oauth/token",
            ("client_id", ProtocolTenant.SpaClient), ("grant_type", "refresh_token"),
            ("refresh_token", (string)first["refresh_token"]!), ("redirect_uri", "http://localhost:3000/callback"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull((await response.ReadJsonObjectAsync())["refresh_token"]);
    }

    [Fact]
    [Trait("Rule", "RT-2")]
    [Trait("Rule", "R4.8")]
    public async Task Refresh_ReplayAfterRotation_FailsWithAuth0TextAndRevokesTheFamily()
    {
        var first = await new CodeFlow().RunAsync(fixture.Server);
        using var client = fixture.Server.CreateClient();
        var rt1 = (string)first["refresh_token"]!;
        var rotated = await (await CodeFlow.RefreshAsync(client, ProtocolTenant.SpaClient, rt1)).ReadJsonObjectAsync();
        var rt2 = (string)rotated["refresh_token"]!;

        var replay = await CodeFlow.RefreshAsync(client, ProtocolTenant.SpaClient, rt1);
        var afterReplay = await CodeFlow.RefreshAsync(client, ProtocolTenant.SpaClient, rt2);

        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Equal(UnknownRefreshToken, await replay.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, afterReplay.StatusCode);
        Assert.Equal(UnknownRefreshToken, await afterReplay.Content.ReadAsStringAsync());
    }

    [Fact]
    [Trait("Rule", "RT-3")]
    public async Task Refresh_AttackerRotatesFirst_VictimReplayRevokesAttackersToken()
    {
        var first = await new CodeFlow().RunAsync(fixture.Server);
        using var attacker = fixture.Server.CreateClient();
        using var victim = fixture.Server.CreateClient();
        var stolen = (string)first["refresh_token"]!;
        var attackerRt = (string)(await (await CodeFlow.RefreshAsync(attacker, ProtocolTenant.SpaClient, stolen)).ReadJsonObjectAsync())["refresh_token"]!;

        var victimAttempt = await CodeFlow.RefreshAsync(victim, ProtocolTenant.SpaClient, stolen);
        var attackerNext = await CodeFlow.RefreshAsync(attacker, ProtocolTenant.SpaClient, attackerRt);

        Assert.Equal(UnknownRefreshToken, await victimAttempt.Content.ReadAsStringAsync());
        Assert.Equal(UnknownRefreshToken, await attackerNext.Content.ReadAsStringAsync());
    }

    [Fact]
    [Trait("Rule", "RT-4")]
    public async Task Refresh_TokenOfAnotherClient_IsInvalidGrant()
    {
        var first = await new CodeFlow().RunAsync(fixture.Server);
        using var client = fixture.Server.CreateClient();

        var response = await CodeFlow.RefreshAsync(client, ProtocolTenant.LeewayClient, (string)first["refresh_token"]!);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_grant", (string?)(await response.ReadJsonObjectAsync())["error"]);
    }

    [Fact]
    [Trait("Rule", "RT-5")]
    public async Task Refresh_BroaderScope_IsInvalidScope()
    {
        var first = await new CodeFlow { Scope = "openid offline_access" }.RunAsync(fixture.Server);
        using var client = fixture.Server.CreateClient();

        var response = await CodeFlow.RefreshAsync(client, ProtocolTenant.SpaClient, (string)first["refresh_token"]!, ("scope", "openid offline_access read:messages"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_scope", (string?)(await response.ReadJsonObjectAsync())["error"]);
    }

    [Fact]
    [Trait("Rule", "RT-5")]
    public async Task Refresh_NarrowerScope_IsGranted()
    {
        var first = await new CodeFlow().RunAsync(fixture.Server);
        using var client = fixture.Server.CreateClient();

        var response = await CodeFlow.RefreshAsync(client, ProtocolTenant.SpaClient, (string)first["refresh_token"]!, ("scope", "openid read:messages"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (_, at) = TokenClient.Decode((string)(await response.ReadJsonObjectAsync())["access_token"]!);
        Assert.Equal("openid read:messages", (string?)at["scope"]);
    }

    [Fact]
    [Trait("Rule", "RT-10")]
    [Trait("Rule", "R4.8")]
    public async Task Refresh_TamperedToken_IsAuth0InvalidGrantNot500()
    {
        var first = await new CodeFlow().RunAsync(fixture.Server);
        using var client = fixture.Server.CreateClient();
        var rt = (string)first["refresh_token"]!;
        var middle = rt.Length / 2;
        var tampered = rt[..middle] + (rt[middle] == 'A' ? 'B' : 'A') + rt[(middle + 1)..];

        var response = await CodeFlow.RefreshAsync(client, ProtocolTenant.SpaClient, tampered);
        var unknown = await CodeFlow.RefreshAsync(client, ProtocolTenant.SpaClient, "not-a-refresh-token");

        Assert.Equal(UnknownRefreshToken, await response.Content.ReadAsStringAsync());
        Assert.Equal(UnknownRefreshToken, await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await CodeFlow.RefreshAsync(client, ProtocolTenant.SpaClient, rt)).StatusCode);
    }

    /// <summary>
    /// Two requests with the same refresh token, both past the token's validation before either redeems it (held at
    /// <see cref="RefreshRaceBarrier"/>): only the claim under optimistic concurrency (RejectConcurrentRefresh) can
    /// refuse one of them. The loser answers Auth0's refresh error and does not revoke the family: the winner's new
    /// refresh token works.
    /// </summary>
    [Fact]
    [Trait("Rule", "RT-9")]
    public async Task Refresh_ConcurrentWithoutLeeway_ExactlyOneSucceeds()
    {
        var barrier = new RefreshRaceBarrier();
        await using var server = await LatchkeyTestServer.StartWithServicesAsync(ProtocolTenant.Json, barrier.Register);
        var first = await new CodeFlow().RunAsync(server);
        var rt = (string)first["refresh_token"]!;
        using var client = server.CreateClient();

        barrier.Armed = true;
        var responses = await Task.WhenAll(Enumerable.Range(0, barrier.Parties).Select(_ => CodeFlow.RefreshAsync(client, ProtocolTenant.SpaClient, rt)));

        Assert.True(barrier.AllArrived, "both requests must pass the token's validation before either redeems it");
        var winner = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        var loser = Assert.Single(responses, r => r.StatusCode != HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.BadRequest, loser.StatusCode);
        Assert.Equal(UnknownRefreshToken, await loser.Content.ReadAsStringAsync());
        var successor = (string)(await winner.ReadJsonObjectAsync())["refresh_token"]!;
        Assert.Equal(HttpStatusCode.OK, (await CodeFlow.RefreshAsync(client, ProtocolTenant.SpaClient, successor)).StatusCode);
    }

    [Fact]
    [Trait("Rule", "R6.4")]
    public async Task Leeway_ReplayWithinClientReuseInterval_SucceedsWithoutRevokingTheFamily()
    {
        var first = await new CodeFlow { ClientId = ProtocolTenant.LeewayClient }.RunAsync(fixture.Server);
        using var client = fixture.Server.CreateClient();
        var rt1 = (string)first["refresh_token"]!;
        var rt2 = (string)(await (await CodeFlow.RefreshAsync(client, ProtocolTenant.LeewayClient, rt1)).ReadJsonObjectAsync())["refresh_token"]!;

        var retry = await CodeFlow.RefreshAsync(client, ProtocolTenant.LeewayClient, rt1);
        var next = await CodeFlow.RefreshAsync(client, ProtocolTenant.LeewayClient, rt2);

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.NotNull((await retry.ReadJsonObjectAsync())["refresh_token"]);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task Revocation_RefreshToken_IsRevokedAndThenUnknown()
    {
        var first = await new CodeFlow().RunAsync(fixture.Server);
        using var client = fixture.Server.CreateClient();
        var rt = (string)first["refresh_token"]!;

        var revoke = await client.PostFormAsync("oauth/revoke", ("client_id", ProtocolTenant.SpaClient), ("token", rt), ("token_type_hint", "refresh_token"));
        var refresh = await CodeFlow.RefreshAsync(client, ProtocolTenant.SpaClient, rt);

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal(UnknownRefreshToken, await refresh.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Revocation_JsonBodyAndUnknownToken_Is200()
    {
        using var client = fixture.Server.CreateClient();

        var response = await client.PostJsonAsync("oauth/revoke", ("client_id", ProtocolTenant.SpaClient), ("token", "unknown-token"), ("token_type_hint", "refresh_token"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Revocation_AnotherClientsToken_DoesNotRevokeIt()
    {
        var first = await new CodeFlow().RunAsync(fixture.Server);
        using var client = fixture.Server.CreateClient();
        var rt = (string)first["refresh_token"]!;

        await client.PostFormAsync("oauth/revoke", ("client_id", ProtocolTenant.LeewayClient), ("token", rt));

        Assert.Equal(HttpStatusCode.OK, (await CodeFlow.RefreshAsync(client, ProtocolTenant.SpaClient, rt)).StatusCode);
    }

    [Fact]
    public async Task UserInfo_GetAndPost_ReturnProfileByScope()
    {
        var tokens = await new CodeFlow().RunAsync(fixture.Server);
        using var client = fixture.Server.CreateClient();
        var accessToken = (string)tokens["access_token"]!;

        using var get = new HttpRequestMessage(HttpMethod.Get, "userinfo");
        get.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var post = new HttpRequestMessage(HttpMethod.Post, "userinfo");
        post.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        var getResponse = await client.SendAsync(get);
        var postResponse = await client.SendAsync(post);

        Assert.Equal(HttpStatusCode.OK, getResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, postResponse.StatusCode);
        var body = await getResponse.ReadJsonObjectAsync();
        Assert.StartsWith("latchkey|", (string?)body["sub"]);
        Assert.Equal("Alice", (string?)body["name"]);
        Assert.Equal("alice", (string?)body["nickname"]);
        Assert.Equal(ProtocolTenant.UserEmail, (string?)body["email"]);
        Assert.True((bool)body["email_verified"]!);
        Assert.Equal(System.Text.Json.JsonValueKind.String, body["updated_at"]!.GetValueKind());
        Assert.Null(body["iss"]);
        Assert.Null(body["aud"]);
    }

    [Fact]
    public async Task UserInfo_ClientCredentialsToken_Is401()
    {
        using var client = fixture.Server.CreateClient();
        var cc = await client.ClientCredentialsAsync(ProtocolTenant.M2mClient, ProtocolTenant.M2mSecret, ProtocolTenant.Api);
        using var request = new HttpRequestMessage(HttpMethod.Get, "userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", (string)(await cc.ReadJsonObjectAsync())["access_token"]!);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
