using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Protocol.Browser;

/// <summary>
/// Silent authentication (docs/reference/auth0-wire.md §3): <c>prompt=none</c> answers without UI, through the requested response
/// mode — <c>login_required</c> / "Login required" when there is no session.
/// </summary>
public sealed class SilentAuthenticationTests(BrowserServerFixture fixture) : IClassFixture<BrowserServerFixture>, IDisposable
{
    private readonly LatchkeyTestServer _server = fixture.Server;
    private readonly HttpClient _client = fixture.Server.CreateClient(new System.Net.CookieContainer());

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task PromptNone_NoSessionQueryMode_RedirectsLoginRequiredWithState()
    {
        var response = await _client.GetAsync(BrowserTenant.Authorize(("prompt", "none")));

        var location = BrowserTenant.LocationOf(response);
        Assert.StartsWith(BrowserTenant.Callback + "?", location.AbsoluteUri, StringComparison.Ordinal);
        var parameters = BrowserTenant.ParametersOf(location);
        Assert.Equal("login_required", parameters["error"]);
        Assert.Equal("Login required", parameters["error_description"]);
        Assert.Equal("c3RhdGUtdmFsdWU=", parameters["state"]);
    }

    [Fact]
    public async Task PromptNone_NoSessionWebMessage_PostsLoginRequiredToRedirectOrigin()
    {
        var response = await _client.GetAsync(BrowserTenant.Authorize(("prompt", "none"), ("response_mode", "web_message")));

        var page = await WebMessagePage.ReadAsync(response);
        Assert.Equal(BrowserTenant.AppOrigin, page.TargetOrigin);
        Assert.Equal("login_required", page["error"]);
        Assert.Equal("Login required", page["error_description"]);
        Assert.Equal("c3RhdGUtdmFsdWU=", page["state"]);
        Assert.Null(page["code"]);
    }

    [Fact]
    public async Task WebMessagePage_Always_FramableOnlyByTheClientsWebOrigins()
    {
        var response = await _client.GetAsync(BrowserTenant.Authorize(("prompt", "none"), ("response_mode", "web_message")));

        var page = await WebMessagePage.ReadAsync(response);
        Assert.False(response.Headers.Contains("X-Frame-Options"));
        Assert.Contains("frame-ancestors https://app.test http://localhost:3000", page.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.DoesNotContain("cors.test", page.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", page.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString() ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebMessage_LocalhostRedirectUri_TargetsThatOriginOnly()
    {
        var response = await _client.GetAsync(BrowserTenant.Authorize(
            ("prompt", "none"), ("response_mode", "web_message"), ("redirect_uri", "http://localhost:3000")));

        var page = await WebMessagePage.ReadAsync(response);
        Assert.Equal("http://localhost:3000", page.TargetOrigin);
    }

    [Fact]
    public async Task WebMessage_UnknownAudienceWithMarkup_EscapedInsideScript()
    {
        const string Attack = "</script><script>alert(1)</script>";

        var response = await _client.GetAsync(BrowserTenant.Authorize(
            ("prompt", "none"), ("response_mode", "web_message"), ("audience", Attack)));

        var page = await WebMessagePage.ReadAsync(response);
        Assert.DoesNotContain("<script>alert", page.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("access_denied", page["error"]);
        Assert.Equal("Service not found: " + Attack, page["error_description"]);
    }

    [Fact]
    public async Task Popup_NoSession_LoginThenWebMessagePageWithCode()
    {
        using var popup = _server.CreateClient(new System.Net.CookieContainer());

        // loginWithPopup: web_message without prompt=none → the login page → back to /authorize → the message page.
        var toLogin = BrowserTenant.LocationOf(await popup.GetAsync(BrowserTenant.Authorize(("response_mode", "web_message"))));
        var returnUrl = BrowserTenant.ParametersOf(new Uri(_server.BaseAddress, toLogin))["returnUrl"];
        Assert.StartsWith("/authorize?", returnUrl, StringComparison.Ordinal);

        using var posted = await LoginDriver.LogInAsync(popup, BrowserTenant.Email, BrowserTenant.Password, returnUrl);
        var back = posted.Headers.Location!;
        var page = await WebMessagePage.ReadAsync(await popup.GetAsync(back));

        Assert.Equal(BrowserTenant.AppOrigin, page.TargetOrigin);
        Assert.False(string.IsNullOrEmpty(page["code"]));
        Assert.Equal("c3RhdGUtdmFsdWU=", page["state"]);
    }

    [Fact]
    public async Task Authorize_UnknownAudience_AccessDeniedBackToClient()
    {
        var response = await _client.GetAsync(BrowserTenant.Authorize(("audience", "https://nope.test")));

        var parameters = BrowserTenant.ParametersOf(BrowserTenant.LocationOf(response));
        Assert.Equal("access_denied", parameters["error"]);
        Assert.Equal("Service not found: https://nope.test", parameters["error_description"]);
    }

    [Fact]
    public async Task Authorize_RepeatedAudience_InvalidRequestBackToClient()
    {
        var response = await _client.GetAsync(BrowserTenant.Authorize(("prompt", "none"), ("audience", "https://api.test")) + "&audience=https%3A%2F%2Fother.test");

        var parameters = BrowserTenant.ParametersOf(BrowserTenant.LocationOf(response));
        Assert.Equal("invalid_request", parameters["error"]);
        Assert.False(parameters.ContainsKey("code"));
    }

    [Fact]
    public async Task PromptNone_LongStateAndNonce_StateEchoedIntact()
    {
        var state = new string('s', 1000) + "+/=" + new string('S', 1045);

        var response = await _client.GetAsync(BrowserTenant.Authorize(
            ("prompt", "none"), ("state", state), ("nonce", new string('n', 2048))));

        var parameters = BrowserTenant.ParametersOf(BrowserTenant.LocationOf(response));
        Assert.Equal(state, parameters["state"]);
    }
}
