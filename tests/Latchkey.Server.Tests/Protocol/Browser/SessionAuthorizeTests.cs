using System.Net;
using System.Text.Json;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.Server.Tests.Protocol.Browser;

/// <summary>
/// /authorize with a login session (driven through the real login pages): silent authentication, prompt=login and
/// max_age re-prompts without loops, and users who were blocked or deleted after logging in.
/// </summary>
public sealed class SessionAuthorizeTests : IAsyncLifetime
{
    private LatchkeyTestServer _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await BrowserTenant.StartAsync();
        _client = _server.CreateClient(new CookieContainer());
        var first = await LoginDriver.AuthorizeAsync(_server, _client, BrowserTenant.Authorize(), BrowserTenant.Email, BrowserTenant.Password);
        Assert.True(BrowserTenant.ParametersOf(first).ContainsKey("code"), "Initial login did not return a code: " + first);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task PromptNone_WithSessionQueryMode_RedirectsCodeAndState()
    {
        var response = await _client.GetAsync(BrowserTenant.Authorize(("prompt", "none")));

        var location = BrowserTenant.LocationOf(response);
        Assert.StartsWith(BrowserTenant.Callback + "?", location.AbsoluteUri, StringComparison.Ordinal);
        var parameters = BrowserTenant.ParametersOf(location);
        Assert.False(string.IsNullOrEmpty(parameters["code"]));
        Assert.Equal("c3RhdGUtdmFsdWU=", parameters["state"]);
        Assert.False(parameters.ContainsKey("error"));
    }

    [Fact]
    public async Task PromptNone_WithSessionWebMessage_PostsCodeAndStateToRedirectOrigin()
    {
        var response = await _client.GetAsync(BrowserTenant.Authorize(("prompt", "none"), ("response_mode", "web_message")));

        var page = await WebMessagePage.ReadAsync(response);
        Assert.Equal(BrowserTenant.AppOrigin, page.TargetOrigin);
        Assert.False(string.IsNullOrEmpty(page["code"]));
        Assert.Equal("c3RhdGUtdmFsdWU=", page["state"]);
        Assert.Null(page["error"]);
        Assert.Contains("frame-ancestors https://app.test http://localhost:3000", page.ContentSecurityPolicy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FormPost_WithSession_HardenedAutoSubmitPageToRedirectUri()
    {
        var response = await _client.GetAsync(BrowserTenant.Authorize(("prompt", "none"), ("response_mode", "form_post"), ("state", "a\"b<c>")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<form method=\"post\" action=\"https://app.test/cb\">", html, StringComparison.Ordinal);
        Assert.Matches("<input type=\"hidden\" name=\"code\" value=\"[^\"]+\">", html);
        Assert.Contains("<input type=\"hidden\" name=\"state\" value=\"a&quot;b&lt;c&gt;\">", html, StringComparison.Ordinal);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Matches("script-src 'nonce-[^']+'", csp);
    }

    [Fact]
    public async Task WebMessageCode_RedeemedAtTokenEndpoint_IssuesTokensWithNonce()
    {
        var page = await WebMessagePage.ReadAsync(await _client.GetAsync(
            BrowserTenant.Authorize(("prompt", "none"), ("response_mode", "web_message"), ("audience", BrowserTenant.Audience))));

        using var token = await _client.PostAsync("/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = BrowserTenant.Spa,
            ["code"] = page["code"]!,
            ["code_verifier"] = TokenAssertions.CodeVerifier,
            ["redirect_uri"] = BrowserTenant.Callback,
        }));

        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        using var json = JsonDocument.Parse(await token.Content.ReadAsStringAsync());
        var idToken = await TokenAssertions.ValidateIdTokenAsync(_server, _client, json.RootElement.GetProperty("id_token").GetString()!, BrowserTenant.Spa);
        Assert.Equal("bm9uY2UtdmFsdWU=", idToken.GetClaim("nonce").Value);
    }

    [Theory]
    [InlineData("prompt", "login")]
    [InlineData("max_age", "0")]
    public async Task FreshLoginDemand_WithSession_ShowsLoginPageThenReturnsCodeWithoutLoop(string name, string value)
    {
        var response = await _client.GetAsync(BrowserTenant.Authorize((name, value)));

        var location = BrowserTenant.LocationOf(response);
        Assert.Equal("/login", location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString.Split('?')[0]);

        var final = await LoginDriver.AuthorizeAsync(_server, _client, BrowserTenant.Authorize((name, value)), BrowserTenant.Email, BrowserTenant.Password);

        var parameters = BrowserTenant.ParametersOf(final);
        Assert.StartsWith(BrowserTenant.Callback, final.AbsoluteUri, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(parameters["code"]));
        Assert.Equal("c3RhdGUtdmFsdWU=", parameters["state"]);
    }

    [Fact]
    public async Task MaxAgeZero_PromptNoneWithSession_LoginRequired()
    {
        var response = await _client.GetAsync(BrowserTenant.Authorize(("prompt", "none"), ("max_age", "0")));

        var parameters = BrowserTenant.ParametersOf(BrowserTenant.LocationOf(response));
        Assert.Equal("login_required", parameters["error"]);
    }

    [Fact]
    public async Task MaxAgeLarge_WithSession_NoReprompt()
    {
        var response = await _client.GetAsync(BrowserTenant.Authorize(("max_age", "36000")));

        Assert.True(BrowserTenant.ParametersOf(BrowserTenant.LocationOf(response)).ContainsKey("code"));
    }

    [Fact]
    public async Task ForgedReauthenticationMarker_PromptLogin_StillShowsLoginPage()
    {
        var response = await _client.GetAsync(BrowserTenant.Authorize(("prompt", "login"), ("lk_reauth", "CfDJ8forged")));

        var location = BrowserTenant.LocationOf(response);
        Assert.StartsWith("/login", location.OriginalString.Replace(_server.BaseAddress.AbsoluteUri, "/", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BlockedAfterLogin_PromptNone_UserIsBlockedError()
    {
        await UpdateUserAsync(user => user.Blocked = true);

        var response = await _client.GetAsync(BrowserTenant.Authorize(("prompt", "none")));

        var parameters = BrowserTenant.ParametersOf(BrowserTenant.LocationOf(response));
        Assert.Equal("unauthorized", parameters["error"]);
        Assert.Equal("user is blocked", parameters["error_description"]);
        Assert.False(parameters.ContainsKey("code"));
    }

    [Fact]
    public async Task DeletedAfterLogin_PromptNone_LoginRequiredAndSessionEnded()
    {
        await using (var scope = _server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();
            await db.Set<User>().Where(u => u.Email == BrowserTenant.Email).ExecuteDeleteAsync();
        }

        var response = await _client.GetAsync(BrowserTenant.Authorize(("prompt", "none")));

        Assert.Equal("login_required", BrowserTenant.ParametersOf(BrowserTenant.LocationOf(response))["error"]);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("latchkey_session=;", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AudienceWithUndefinedScopes_Granted_OnlyDefinedScopesInAccessToken()
    {
        var response = await _client.GetAsync(BrowserTenant.Authorize(
            ("prompt", "none"), ("audience", BrowserTenant.Audience), ("scope", "openid read:messages delete:everything")));
        var code = BrowserTenant.ParametersOf(BrowserTenant.LocationOf(response))["code"];

        using var token = await _client.PostAsync("/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = BrowserTenant.Spa,
            ["code"] = code,
            ["code_verifier"] = TokenAssertions.CodeVerifier,
            ["redirect_uri"] = BrowserTenant.Callback,
        }));

        using var json = JsonDocument.Parse(await token.Content.ReadAsStringAsync());
        var accessToken = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(json.RootElement.GetProperty("access_token").GetString());
        var scopes = accessToken.GetClaim("scope").Value.Split(' ');
        Assert.Contains("read:messages", scopes);
        Assert.DoesNotContain("delete:everything", scopes);
        Assert.Contains(BrowserTenant.Audience, accessToken.Audiences);
    }

    private async Task UpdateUserAsync(Action<User> change)
    {
        await using var scope = _server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();
        var user = await db.Set<User>().SingleAsync(u => u.Email == BrowserTenant.Email);
        change(user);
        await db.SaveChangesAsync();
    }
}
