using System.Net;
using Latchkey.Server.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Latchkey.Server.Tests.Protocol.Browser;

/// <summary>
/// Legacy auth0-js implicit flow (docs/reference/auth0-wire.md R12.2–R12.4; docs/reference/security-catalogue.md IMP-1…IMP-5): only for Applications with the
/// <c>implicit</c> grant, tokens in the fragment (or the web_message page for <c>checkSession</c>), nonce required,
/// <c>at_hash</c> correct, a short-lived access token and never a refresh token.
/// </summary>
public sealed class ImplicitFlowTests : IAsyncLifetime
{
    private LatchkeyTestServer _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await BrowserTenant.StartAsync();
        _client = _server.CreateClient(new CookieContainer());
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    internal static string LegacyAuthorize(params (string Name, string? Value)[] overrides) =>
        BrowserTenant.Authorize([
            ("client_id", BrowserTenant.Legacy), ("redirect_uri", BrowserTenant.LegacyCallback), ("response_type", "token id_token"),
            ("response_mode", null), ("code_challenge", null), ("code_challenge_method", null), ("audience", BrowserTenant.Audience),
            ("scope", "openid profile email offline_access read:messages"),
            ("auth0Client", "eyJuYW1lIjoiYXV0aDAuanMiLCJ2ZXJzaW9uIjoiOS4zMi4wIn0="), .. overrides]);

    [Fact]
    [Trait("Rule", "IMP-2")]
    [Trait("Rule", "IMP-5")]
    [Trait("Rule", "R12.2")]
    [Trait("Rule", "R12.3")]
    public async Task ImplicitClient_TokenIdToken_FragmentWithValidAtHashAndNonce()
    {
        var location = await LoginDriver.AuthorizeAsync(_server, _client, LegacyAuthorize(), BrowserTenant.Email, BrowserTenant.Password);

        Assert.StartsWith(BrowserTenant.LegacyCallback + "#", location.AbsoluteUri, StringComparison.Ordinal);
        Assert.True(string.IsNullOrEmpty(location.Query));
        var fragment = BrowserTenant.ParametersOf(location, fragment: true);
        Assert.Equal("c3RhdGUtdmFsdWU=", fragment["state"]);
        Assert.Equal("Bearer", fragment["token_type"]);
        Assert.False(fragment.ContainsKey("refresh_token"));
        Assert.False(fragment.ContainsKey("code"));
        Assert.InRange(long.Parse(fragment["expires_in"]), 1, 7200);

        var idToken = await TokenAssertions.ValidateIdTokenAsync(_server, _client, fragment["id_token"], BrowserTenant.Legacy);
        Assert.Equal("bm9uY2UtdmFsdWU=", idToken.GetClaim("nonce").Value);
        Assert.Equal(TokenAssertions.AtHash(fragment["access_token"]), idToken.GetClaim("at_hash").Value);

        var accessToken = new JsonWebToken(fragment["access_token"]);
        Assert.Contains(BrowserTenant.Audience, accessToken.Audiences);
        Assert.DoesNotContain("offline_access", accessToken.GetClaim("scope").Value.Split(' '));
        Assert.InRange(accessToken.ValidTo - accessToken.IssuedAt, TimeSpan.FromSeconds(1), TimeSpan.FromHours(2));
    }

    [Fact]
    [Trait("Rule", "AT-6")]
    public async Task PromptLogin_AfterEarlierLogin_NewAuthTime()
    {
        var first = await IdTokenAsync(LegacyAuthorize(("response_type", "id_token")));
        await Task.Delay(TimeSpan.FromSeconds(1.1));

        var second = await IdTokenAsync(LegacyAuthorize(("response_type", "id_token"), ("prompt", "login")));

        // oidcc-prompt-login / docs/reference/security-catalogue.md AT-6: a new login, so a later auth_time.
        Assert.True(long.Parse(second.GetClaim("auth_time").Value) > long.Parse(first.GetClaim("auth_time").Value));
    }

    [Fact]
    public async Task IdTokenHint_OtherUserThanSession_LoginRequired()
    {
        var alice = await IdTokenAsync(LegacyAuthorize(("response_type", "id_token")));
        _client.Dispose();
        _client = _server.CreateClient(new CookieContainer());
        await LoginDriver.LogInAsync(_client, BrowserTenant.OtherEmail, BrowserTenant.Password);

        var otherUser = await _client.GetAsync(LegacyAuthorize(("response_type", "id_token"), ("prompt", "none"), ("id_token_hint", alice.EncodedToken)));
        Assert.Equal("login_required", BrowserTenant.ParametersOf(BrowserTenant.LocationOf(otherUser), fragment: true)["error"]);

        var bob = await IdTokenAsync(LegacyAuthorize(("response_type", "id_token")));
        var sameUser = await _client.GetAsync(LegacyAuthorize(("response_type", "id_token"), ("prompt", "none"), ("id_token_hint", bob.EncodedToken)));
        Assert.True(BrowserTenant.ParametersOf(BrowserTenant.LocationOf(sameUser), fragment: true).ContainsKey("id_token"));
    }

    [Fact]
    public async Task ImplicitClient_IdTokenOnly_FragmentWithoutAccessToken()
    {
        var location = await LoginDriver.AuthorizeAsync(_server, _client, LegacyAuthorize(("response_type", "id_token")), BrowserTenant.Email, BrowserTenant.Password);

        var fragment = BrowserTenant.ParametersOf(location, fragment: true);
        Assert.False(fragment.ContainsKey("access_token"));
        var idToken = await TokenAssertions.ValidateIdTokenAsync(_server, _client, fragment["id_token"], BrowserTenant.Legacy);
        Assert.Equal("bm9uY2UtdmFsdWU=", idToken.GetClaim("nonce").Value);
    }

    [Fact]
    public async Task ImplicitClient_LongStateAndNonce_EchoedIntact()
    {
        var state = "st+/=" + new string('s', 2043);
        var nonce = "nn+/=" + new string('n', 2043);

        var location = await LoginDriver.AuthorizeAsync(_server, _client, LegacyAuthorize(("state", state), ("nonce", nonce)), BrowserTenant.Email, BrowserTenant.Password);

        var fragment = BrowserTenant.ParametersOf(location, fragment: true);
        Assert.Equal(state, fragment["state"]);
        var idToken = await TokenAssertions.ValidateIdTokenAsync(_server, _client, fragment["id_token"], BrowserTenant.Legacy);
        Assert.Equal(nonce, idToken.GetClaim("nonce").Value);
    }

    [Fact]
    [Trait("Rule", "R12.4")]
    public async Task ImplicitClient_CheckSessionWebMessage_PostsTokensWithNumericExpiry()
    {
        await LoginDriver.LogInAsync(_client, BrowserTenant.Email, BrowserTenant.Password);

        var page = await WebMessagePage.ReadAsync(await _client.GetAsync(LegacyAuthorize(("prompt", "none"), ("response_mode", "web_message"))));

        Assert.Equal(BrowserTenant.LegacyOrigin, page.TargetOrigin);
        Assert.Equal("c3RhdGUtdmFsdWU=", page["state"]);
        Assert.Equal(System.Text.Json.JsonValueKind.Number, page.Response.GetProperty("expires_in").ValueKind);
        var idToken = await TokenAssertions.ValidateIdTokenAsync(_server, _client, page["id_token"]!, BrowserTenant.Legacy);
        Assert.Equal(TokenAssertions.AtHash(page["access_token"]!), idToken.GetClaim("at_hash").Value);
    }

    private async Task<JsonWebToken> IdTokenAsync(string authorizeUrl)
    {
        var location = await LoginDriver.AuthorizeAsync(_server, _client, authorizeUrl, BrowserTenant.Email, BrowserTenant.Password);
        var fragment = BrowserTenant.ParametersOf(location, fragment: true);
        Assert.True(fragment.ContainsKey("id_token"), "No id_token: " + location);
        return await TokenAssertions.ValidateIdTokenAsync(_server, _client, fragment["id_token"], BrowserTenant.Legacy);
    }

    [Fact]
    [Trait("Rule", "IMP-1")]
    public async Task ImplicitClient_NoNonce_RefusedWithoutTokens()
    {
        await LoginDriver.LogInAsync(_client, BrowserTenant.Email, BrowserTenant.Password);

        var response = await _client.GetAsync(LegacyAuthorize(("nonce", null)));

        // OpenIddict rejects request-validation errors on its error page (allowed by oidcc-ensure-request-without-nonce-fails).
        var body = await AuthorizeRedirectUriTests.AssertErrorPageAsync(response);
        Assert.Contains("invalid_request", body, StringComparison.Ordinal);
        Assert.Contains("nonce", body, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Rule", "IMP-3")]
    public async Task ImplicitClient_TokenInQueryResponseMode_Refused()
    {
        var response = await _client.GetAsync(LegacyAuthorize(("response_mode", "query")));

        if (response.Headers.Location is { } location)
        {
            Assert.DoesNotContain("access_token", location.OriginalString, StringComparison.Ordinal);
            Assert.Contains("error=", location.OriginalString, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
    }

    [Theory]
    [InlineData("token id_token")]
    [InlineData("id_token")]
    [InlineData("token")]
    [Trait("Rule", "IMP-4")]
    public async Task CodeOnlyClient_ImplicitResponseType_UnauthorizedClientWithoutTokens(string responseType)
    {
        await LoginDriver.LogInAsync(_client, BrowserTenant.Email, BrowserTenant.Password);

        var response = await _client.GetAsync(BrowserTenant.Authorize(
            ("response_type", responseType), ("response_mode", null), ("code_challenge", null), ("code_challenge_method", null)));

        // A request-validation error: OpenIddict shows it on the error page rather than at the redirect_uri.
        var body = await AuthorizeRedirectUriTests.AssertErrorPageAsync(response);
        Assert.Contains("unauthorized_client", body, StringComparison.Ordinal);
    }
}
