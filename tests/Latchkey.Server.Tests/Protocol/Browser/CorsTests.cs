using System.Net;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Protocol.Browser;

/// <summary>
/// CORS (docs/reference/auth0-wire.md R4.5, R13.1; RFC 9700 §2.6): the SDK-facing endpoints answer preflights from the origins
/// registered on Applications, with <c>Auth0-Client</c> allowed; discovery and JWKS are public; foreign origins get
/// no CORS headers.
/// </summary>
[Trait("Rule", "R4.5")]
[Trait("Rule", "R13.1")]
[Trait("Rule", "AZ-13")]
public sealed class CorsTests(BrowserServerFixture fixture) : IClassFixture<BrowserServerFixture>, IDisposable
{
    private readonly LatchkeyTestServer _server = fixture.Server;
    private readonly HttpClient _client = fixture.Server.CreateClient();

    public void Dispose() => _client.Dispose();

    [Theory]
    [InlineData("/oauth/token", BrowserTenant.AppOrigin)]          // web origin
    [InlineData("/oauth/token", BrowserTenant.CorsOnlyOrigin)]     // allowed origin (CORS)
    [InlineData("/oauth/token", "http://localhost:3000")]          // callback origin (Auth0 allows callbacks by default)
    [InlineData("/oauth/revoke", BrowserTenant.AppOrigin)]
    [InlineData("/userinfo", BrowserTenant.AppOrigin)]
    [InlineData("/api/v2/users/x", BrowserTenant.AppOrigin)]
    public async Task Preflight_RegisteredOrigin_AllowsAuth0ClientHeader(string path, string origin)
    {
        var response = await PreflightAsync(path, origin, "POST", "content-type,auth0-client");

        Assert.True(response.IsSuccessStatusCode, $"Preflight answered {(int)response.StatusCode}");
        Assert.Equal(origin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var allowedHeaders = string.Join(',', response.Headers.GetValues("Access-Control-Allow-Headers")).ToLowerInvariant();
        Assert.Contains("auth0-client", allowedHeaders, StringComparison.Ordinal);
        Assert.Contains("content-type", allowedHeaders, StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [Theory]
    [InlineData("/oauth/token")]
    [InlineData("/oauth/revoke")]
    [InlineData("/userinfo")]
    public async Task Preflight_ForeignOrigin_NoCorsHeaders(string path)
    {
        var response = await PreflightAsync(path, "https://evil.test", "POST", "content-type,auth0-client");

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task TokenPost_RegisteredOrigin_ErrorResponseStillCarriesAllowOrigin()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/oauth/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code",
                ["client_id"] = BrowserTenant.Spa,
                ["code"] = "not-a-code",
                ["code_verifier"] = new string('v', 43),
                ["redirect_uri"] = BrowserTenant.Callback,
            }),
        };
        request.Headers.Add("Origin", BrowserTenant.AppOrigin);
        request.Headers.Add("Auth0-Client", "eyJuYW1lIjoiYXV0aDAtc3BhLWpzIn0=");

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(BrowserTenant.AppOrigin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Theory]
    [InlineData("/.well-known/jwks.json")]
    [InlineData("/.well-known/openid-configuration")]
    public async Task PublicDocuments_AnyOrigin_AllowedWithWildcard(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Origin", "https://anyone.test");

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task Discovery_BrowserDialect_AdvertisesWebMessageAndEndSession()
    {
        var discovery = await _client.GetStringAsync("/.well-known/openid-configuration");

        using var document = System.Text.Json.JsonDocument.Parse(discovery);
        var modes = document.RootElement.GetProperty("response_modes_supported").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("web_message", modes);
        // The standard RP-initiated logout endpoint (Auth0 advertises /oidc/logout too); /v2/logout is Auth0-only.
        Assert.Equal(_server.Issuer + "oidc/logout", document.RootElement.GetProperty("end_session_endpoint").GetString());
    }

    private async Task<HttpResponseMessage> PreflightAsync(string path, string origin, string method, string headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", headers);
        return await _client.SendAsync(request);
    }
}
