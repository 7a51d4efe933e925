using System.Net;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Protocol.Browser;

/// <summary>
/// Auth0 <c>/v2/logout</c> (docs/reference/auth0-wire.md §7) and OIDC RP-Initiated Logout (<c>/oidc/logout</c>, docs/reference/security-catalogue.md §0.4):
/// the session ends, the browser goes back only to an exactly registered URL, never through a confirmation prompt,
/// and a later <c>prompt=none</c> answers <c>login_required</c>.
/// </summary>
public sealed class LogoutTests : IAsyncLifetime
{
    private LatchkeyTestServer _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await BrowserTenant.StartAsync();
        _client = _server.CreateClient(new CookieContainer());
        await LoginDriver.LogInAsync(_client, BrowserTenant.Email, BrowserTenant.Password);
        await AssertSignedInAsync();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task V2Logout_AllowedReturnTo_ClearsSessionAndRedirectsExactly()
    {
        var response = await _client.GetAsync(
            $"/v2/logout?client_id=spa&returnTo={Uri.EscapeDataString(BrowserTenant.LogoutUrl)}&auth0Client=eyJuYW1lIjoiYXV0aDAtc3BhLWpzIn0%3D&federated");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(BrowserTenant.LogoutUrl, response.Headers.Location!.OriginalString);
        await AssertSignedOutAsync();
    }

    [Theory]
    [InlineData("https://evil.test/")]
    [InlineData("https://app.test/logged-out/")]
    [InlineData("https://app.test/logged-out?x=1")]
    [InlineData("https://APP.test/logged-out")]
    [InlineData("https://legacy.test/")] // another application's logout URL
    public async Task V2Logout_NotAllowedReturnTo_ErrorPageNoRedirect(string returnTo)
    {
        var response = await _client.GetAsync($"/v2/logout?client_id=spa&returnTo={Uri.EscapeDataString(returnTo)}");

        await AuthorizeRedirectUriTests.AssertErrorPageAsync(response);
    }

    [Fact]
    public async Task V2Logout_NoReturnTo_RedirectsToFirstAllowedLogoutUrl()
    {
        var response = await _client.GetAsync("/v2/logout?client_id=spa");

        Assert.Equal(BrowserTenant.LogoutUrl, BrowserTenant.LocationOf(response).OriginalString);
        await AssertSignedOutAsync();
    }

    [Fact]
    public async Task V2Logout_NoReturnToAndNoLogoutUrls_LoggedOutPage()
    {
        var response = await _client.GetAsync("/v2/logout?client_id=" + BrowserTenant.NoLogoutUrls);

        await AssertLoggedOutPageAsync(response);
        await AssertSignedOutAsync();
    }

    [Fact]
    public async Task V2Logout_NoParameters_LoggedOutPage()
    {
        var response = await _client.GetAsync("/v2/logout");

        await AssertLoggedOutPageAsync(response);
        await AssertSignedOutAsync();
    }

    [Fact]
    public async Task OidcLogout_ValidIdTokenHint_RedirectsWithState()
    {
        var idToken = await LegacyIdTokenAsync();

        var response = await _client.GetAsync(
            $"/oidc/logout?id_token_hint={idToken}&post_logout_redirect_uri={Uri.EscapeDataString("https://legacy.test/")}&state=xyz%2B1&client_id=legacy");

        var location = BrowserTenant.LocationOf(response);
        Assert.StartsWith("https://legacy.test/?", location.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal("xyz+1", BrowserTenant.ParametersOf(location)["state"]);
        await AssertSignedOutAsync();
    }

    [Fact]
    public async Task OidcLogout_NoIdTokenHint_LoggedOutPageNoRedirect()
    {
        var response = await _client.GetAsync($"/oidc/logout?post_logout_redirect_uri={Uri.EscapeDataString("https://legacy.test/")}&client_id=legacy");

        await AssertLoggedOutPageAsync(response);
        await AssertSignedOutAsync();
    }

    [Fact]
    public async Task OidcLogout_QueryAddedToRedirect_ErrorPage()
    {
        var idToken = await LegacyIdTokenAsync();

        var response = await _client.GetAsync($"/oidc/logout?id_token_hint={idToken}&post_logout_redirect_uri={Uri.EscapeDataString("https://legacy.test/?foo=bar")}");

        await AuthorizeRedirectUriTests.AssertErrorPageAsync(response);
    }

    [Fact]
    public async Task OidcLogout_TamperedIdTokenHint_NoRedirect()
    {
        var idToken = await LegacyIdTokenAsync();
        var parts = idToken.Split('.');
        var tampered = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0." + parts[1] + ".";

        var response = await _client.GetAsync($"/oidc/logout?id_token_hint={tampered}&post_logout_redirect_uri={Uri.EscapeDataString("https://legacy.test/")}");

        Assert.True(response.Headers.Location is null, "Redirected to " + response.Headers.Location);
        Assert.True((int)response.StatusCode < 500);
    }

    [Fact]
    public async Task OidcLogout_HintIssuedToAnotherApplication_NoRedirect()
    {
        var idToken = await LegacyIdTokenAsync();

        // https://app.test/ is registered, but for the SPA; the hint belongs to the legacy application
        // (OpenIddict's authorized-party check refuses it on the error page).
        var response = await _client.GetAsync($"/oidc/logout?id_token_hint={idToken}&post_logout_redirect_uri={Uri.EscapeDataString("https://app.test/")}");

        await AuthorizeRedirectUriTests.AssertErrorPageAsync(response);
    }

    private async Task<string> LegacyIdTokenAsync()
    {
        var location = await LoginDriver.AuthorizeAsync(_server, _client, ImplicitFlowTests.LegacyAuthorize(("response_type", "id_token")), BrowserTenant.Email, BrowserTenant.Password);
        return BrowserTenant.ParametersOf(location, fragment: true)["id_token"];
    }

    private async Task AssertSignedInAsync()
    {
        var response = await _client.GetAsync(BrowserTenant.Authorize(("prompt", "none")));
        Assert.True(BrowserTenant.ParametersOf(BrowserTenant.LocationOf(response)).ContainsKey("code"), "Expected a session.");
    }

    private async Task AssertSignedOutAsync()
    {
        var response = await _client.GetAsync(BrowserTenant.Authorize(("prompt", "none")));
        Assert.Equal("login_required", BrowserTenant.ParametersOf(BrowserTenant.LocationOf(response))["error"]);
    }

    private static async Task AssertLoggedOutPageAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("You are logged out", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
