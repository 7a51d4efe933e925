using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Latchkey.Server.Tests.Protocol;

public sealed class CodeFlowTests(ProtocolServerFixture fixture) : IClassFixture<ProtocolServerFixture>
{
    [Fact]
    public async Task CodeFlow_PkceS256_IssuesTokensInAuth0Shape()
    {
        var flow = new CodeFlow();

        var body = await flow.RunAsync(fixture.Server);

        Assert.Equal("Bearer", (string?)body["token_type"]);
        Assert.InRange((int)body["expires_in"]!, 3590, 3600);
        Assert.False(string.IsNullOrEmpty((string?)body["refresh_token"]));
        Assert.Equal("openid profile email offline_access read:messages", (string?)body["scope"]);

        var (atHeader, at) = TokenClient.Decode((string)body["access_token"]!);
        Assert.Equal("RS256", (string?)atHeader["alg"]);
        Assert.Equal("at+jwt", (string?)atHeader["typ"]);
        Assert.Equal(fixture.Server.Issuer, (string?)at["iss"]);
        Assert.StartsWith("latchkey|", (string?)at["sub"]);
        Assert.Equal([ProtocolTenant.Api, fixture.Server.Issuer + "userinfo"], TokenClient.Strings(at["aud"]));
        Assert.Equal(ProtocolTenant.SpaClient, (string?)at["azp"]);
        Assert.Equal(ProtocolTenant.SpaClient, (string?)at["client_id"]);
        Assert.Equal("openid profile email offline_access read:messages", (string?)at["scope"]);
        Assert.Equal(["read:messages"], TokenClient.Strings(at["permissions"]));
        Assert.Equal(3600, (long)at["exp"]! - (long)at["iat"]!);
        Assert.False(string.IsNullOrEmpty((string?)at["jti"]));
        Assert.Null(at["email"]);
        Assert.DoesNotContain(at, claim => claim.Key.StartsWith("oi_", StringComparison.Ordinal) || claim.Key.StartsWith("lk_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CodeFlow_IdToken_HasOidcAndProfileClaims()
    {
        var flow = new CodeFlow();

        var body = await flow.RunAsync(fixture.Server);

        var idToken = (string)body["id_token"]!;
        var (header, id) = TokenClient.Decode(idToken);
        Assert.Equal("RS256", (string?)header["alg"]);
        Assert.False(string.IsNullOrEmpty((string?)header["kid"]));
        Assert.Equal(fixture.Server.Issuer, (string?)id["iss"]);
        Assert.Equal(ProtocolTenant.SpaClient, (string?)id["aud"]);
        Assert.Equal(flow.Nonce, (string?)id["nonce"]);
        var authTime = (long)id["auth_time"]!;
        Assert.InRange(authTime, DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeSeconds());
        Assert.Equal(AtHash((string)body["access_token"]!), (string?)id["at_hash"]);
        Assert.Equal("Alice", (string?)id["name"]);
        Assert.Equal("alice", (string?)id["nickname"]);
        Assert.Equal(ProtocolTenant.UserEmail, (string?)id["email"]);
        Assert.True((bool)id["email_verified"]!);
        Assert.True(DateTimeOffset.TryParse((string?)id["updated_at"], out _));
        Assert.Null(id["permissions"]);
        Assert.DoesNotContain(id, claim => claim.Key.StartsWith("oi_", StringComparison.Ordinal) || claim.Key.StartsWith("lk_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CodeFlow_OnlyOpenId_IdTokenHasNoProfileClaims()
    {
        var flow = new CodeFlow { Scope = "openid" };

        var body = await flow.RunAsync(fixture.Server);

        var (_, id) = TokenClient.Decode((string)body["id_token"]!);
        Assert.Null(id["email"]);
        Assert.Null(id["name"]);
        Assert.Null(body["refresh_token"]);
    }

    [Fact]
    public async Task CodeFlow_UndefinedAndUnpermittedScopes_AreDropped()
    {
        var flow = new CodeFlow { Scope = "openid read:messages write:messages delete:everything" };

        var body = await flow.RunAsync(fixture.Server);

        // write:messages exists on the API but the user's roles do not grant it (RBAC); delete:everything does not exist.
        var (_, at) = TokenClient.Decode((string)body["access_token"]!);
        Assert.Equal("openid read:messages", (string?)at["scope"]);
    }

    [Fact]
    public async Task CodeFlow_NoAudience_TokenIsForUserInfoOnly()
    {
        var flow = new CodeFlow { Audience = null, Scope = "openid profile" };

        var body = await flow.RunAsync(fixture.Server);

        var (_, at) = TokenClient.Decode((string)body["access_token"]!);
        Assert.Equal(fixture.Server.Issuer + "userinfo", (string?)at["aud"]);
        Assert.Null(at["permissions"]);
    }

    [Fact]
    public async Task CodeFlow_ApiWithoutOfflineAccess_IssuesNoRefreshToken()
    {
        var flow = new CodeFlow { Audience = ProtocolTenant.OfflineDeniedApi, Scope = "openid offline_access read:x" };

        var body = await flow.RunAsync(fixture.Server);

        Assert.Null(body["refresh_token"]);
        var (_, at) = TokenClient.Decode((string)body["access_token"]!);
        Assert.Equal("openid read:x", (string?)at["scope"]);
        Assert.InRange((int)body["expires_in"]!, 86390, 86400);
    }

    [Fact]
    public async Task CodeFlow_OfflineAccessWithoutRefreshGrant_IsIgnoredLikeAuth0()
    {
        var flow = new CodeFlow { ClientId = ProtocolTenant.NoRefreshClient };

        var body = await flow.RunAsync(fixture.Server);

        Assert.Null(body["refresh_token"]);
        Assert.DoesNotContain("offline_access", ((string?)body["scope"])!.Split(' '));
    }

    [Fact]
    public async Task CodeFlow_ManagementApi_UserGetsOnlyCurrentUserScopes()
    {
        var managementApi = fixture.Server.Issuer + "api/v2/";
        var flow = new CodeFlow { Audience = managementApi, Scope = "openid read:current_user update:current_user_metadata read:users delete:users" };

        var body = await flow.RunAsync(fixture.Server);

        var (_, at) = TokenClient.Decode((string)body["access_token"]!);
        Assert.Equal("openid read:current_user update:current_user_metadata", (string?)at["scope"]);
        Assert.Contains(managementApi, TokenClient.Strings(at["aud"]));
    }

    [Fact]
    public async Task CodeFlow_UnknownAudience_RedirectsAccessDenied()
    {
        var flow = new CodeFlow { Audience = "https://unknown.example.com" };
        using var client = fixture.Server.CreateClient(new CookieContainer());

        var query = await flow.AuthorizeAsync(fixture.Server, client);

        Assert.Equal("access_denied", query["error"]);
        Assert.Equal("Service not found: https://unknown.example.com", query["error_description"]);
        Assert.Equal(flow.State, query["state"]);
    }

    [Fact]
    public async Task CodeFlow_JsonTokenRequest_IsAccepted()
    {
        var flow = new CodeFlow();
        using var client = fixture.Server.CreateClient(new CookieContainer());
        var code = await flow.GetCodeAsync(fixture.Server, client);

        var response = await client.PostJsonAsync("oauth/token",
            ("client_id", flow.ClientId), ("code_verifier", flow.Verifier), ("grant_type", "authorization_code"),
            ("code", code), ("redirect_uri", flow.RedirectUri));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull((await response.ReadJsonObjectAsync())["id_token"]);
    }

    [Fact]
    public async Task CodeFlow_ConfidentialClientWithSecret_Works()
    {
        var flow = new CodeFlow { ClientId = ProtocolTenant.WebClient, RedirectUri = ProtocolTenant.WebCallback, ChallengeMethod = null };

        var body = await flow.RunAsync(fixture.Server, secret: ProtocolTenant.WebSecret);

        Assert.NotNull(body["access_token"]);
    }

    [Fact]
    [Trait("Rule", "PK-1")]
    public async Task Authorize_PublicClientWithoutChallenge_IsRejected()
    {
        var flow = new CodeFlow { ChallengeMethod = null };
        using var client = fixture.Server.CreateClient(new CookieContainer());

        var response = await client.GetAsync(flow.AuthorizeUrl());

        await AssertRejectedAuthorizationAsync(response, "invalid_request");
    }

    [Fact]
    [Trait("Rule", "PK-2")]
    public async Task Authorize_PlainChallengeMethod_IsRejected()
    {
        var flow = new CodeFlow { ChallengeMethod = "plain" };
        using var client = fixture.Server.CreateClient(new CookieContainer());

        var response = await client.GetAsync(flow.AuthorizeUrl());

        await AssertRejectedAuthorizationAsync(response, "invalid_request");
    }

    [Fact]
    [Trait("Rule", "PK-3")]
    public async Task Token_MissingVerifier_IsInvalidGrant()
    {
        var flow = new CodeFlow();
        using var client = fixture.Server.CreateClient(new CookieContainer());
        var code = await flow.GetCodeAsync(fixture.Server, client);

        var response = await client.PostFormAsync("oauth/token", ("grant_type", "authorization_code"), ("client_id", flow.ClientId), ("code", code), ("redirect_uri", flow.RedirectUri));

        await AssertErrorAsync(response, "invalid_grant", "invalid_request");
    }

    [Fact]
    [Trait("Rule", "PK-4")]
    public async Task Token_WrongVerifier_IsInvalidGrantAndBurnsTheCode()
    {
        var flow = new CodeFlow();
        using var client = fixture.Server.CreateClient(new CookieContainer());
        var code = await flow.GetCodeAsync(fixture.Server, client);
        var wrong = (flow.Verifier[0] == 'A' ? "B" : "A") + flow.Verifier[1..];

        var first = await flow.RedeemAsync(client, code, verifier: wrong);
        var second = await flow.RedeemAsync(client, code);

        // Policy: a failed PKCE check consumes the code (it is single-use whatever the outcome).
        await AssertErrorAsync(first, "invalid_grant");
        await AssertErrorAsync(second, "invalid_grant");
    }

    [Fact]
    [Trait("Rule", "PK-5")]
    public async Task Token_VerifierWithoutChallenge_IsRejected()
    {
        var flow = new CodeFlow { ClientId = ProtocolTenant.WebClient, RedirectUri = ProtocolTenant.WebCallback, ChallengeMethod = null };
        using var client = fixture.Server.CreateClient(new CookieContainer());
        var code = await flow.GetCodeAsync(fixture.Server, client);

        var response = await flow.RedeemAsync(client, code, verifier: new string('a', 43), secret: ProtocolTenant.WebSecret);

        await AssertErrorAsync(response, "invalid_grant", "invalid_request");
    }

    [Theory]
    [InlineData(42, false)]
    [InlineData(43, true)]
    [InlineData(128, true)]
    [InlineData(129, false)]
    [Trait("Rule", "PK-6")]
    public async Task Token_VerifierLength_IsEnforced(int length, bool accepted)
    {
        var verifier = string.Concat(Enumerable.Repeat("abcdefghij", 13))[..length];
        var flow = new CodeFlow { Verifier = verifier };
        using var client = fixture.Server.CreateClient(new CookieContainer());

        var query = await flow.AuthorizeAsync(fixture.Server, client);
        if (!accepted && query.ContainsKey("error"))
        {
            return;
        }

        var response = await flow.RedeemAsync(client, query["code"]);
        if (accepted)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        else
        {
            await AssertErrorAsync(response, "invalid_grant", "invalid_request");
        }
    }

    [Theory]
    [InlineData("abcdefghijabcdefghijabcdefghijabcdefghij ab+")]
    [InlineData("abcdefghijabcdefghijabcdefghijabcdefghij%ab")]
    [Trait("Rule", "PK-6")]
    public async Task Token_VerifierWithForbiddenCharacters_IsRejected(string verifier)
    {
        var flow = new CodeFlow { Verifier = verifier };
        using var client = fixture.Server.CreateClient(new CookieContainer());

        var query = await flow.AuthorizeAsync(fixture.Server, client);
        if (query.ContainsKey("error"))
        {
            return;
        }

        var response = await flow.RedeemAsync(client, query["code"]);

        await AssertErrorAsync(response, "invalid_grant", "invalid_request");
    }

    internal static string AtHash(string accessToken) =>
        Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken))[..16]);

    internal static async Task AssertErrorAsync(HttpResponseMessage response, params string[] errors)
    {
        var body = await response.ReadJsonObjectAsync();
        Assert.True((int)response.StatusCode is >= 400 and < 500, body.ToJsonString());
        Assert.Contains((string?)body["error"], errors);
        Assert.Null(body["access_token"]);
    }

    /// <summary>Either an error redirect to the registered callback or the error page (400): never a code.</summary>
    private static async Task AssertRejectedAuthorizationAsync(HttpResponseMessage response, string error)
    {
        if (response.StatusCode == HttpStatusCode.Found)
        {
            var location = response.Headers.Location!;
            Assert.StartsWith(ProtocolTenant.SpaCallback, location.AbsoluteUri, StringComparison.Ordinal);
            var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(location.Query);
            Assert.Equal(error, query["error"].ToString());
            Assert.False(query.ContainsKey("code"));
            return;
        }

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(error, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
