using System.Net;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Protocol.Browser;

/// <summary>
/// docs/reference/security-catalogue.md AZ-1, AZ-2, AZ-3, AZ-13 and HDR-2: a request whose client or redirect_uri cannot be trusted ends on an
/// HTML error page from Latchkey — never a redirect, not even one carrying <c>error=</c> — and /authorize never
/// answers CORS.
/// </summary>
[Trait("Rule", "AZ-1")]
[Trait("Rule", "AZ-2")]
[Trait("Rule", "AZ-3")]
[Trait("Rule", "AZ-13")]
[Trait("Rule", "HDR-2")]
public sealed class AuthorizeRedirectUriTests(BrowserServerFixture fixture) : IClassFixture<BrowserServerFixture>, IDisposable
{
    private readonly LatchkeyTestServer _server = fixture.Server;
    private readonly HttpClient _client = fixture.Server.CreateClient();

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task Authorize_UnknownClient_ShowsErrorPageWithoutRedirect()
    {
        var response = await _client.GetAsync(BrowserTenant.Authorize(("client_id", "no-such-client")));

        await AssertErrorPageAsync(response);
    }

    [Theory]
    [InlineData("https://evil.test/cb")]
    [InlineData("https://APP.test/cb")]
    [InlineData("https://app.test/CB")]
    [InlineData("https://app.test/cb/")]
    [InlineData("https://app.test/cb?x=1")]
    [InlineData("https://app.test/cb#x")]
    [InlineData("https://app.test:443/cb")]
    [InlineData("https://app.test/cb/../cb")]
    [InlineData("https://app.test/cb/..;/x")]
    [InlineData("https://app.test%2f@evil.test/cb")]
    [InlineData("https://app.test@evil.test/cb")]
    [InlineData("https://a@b@evil.test/cb")]
    [InlineData("https://app.test.evil.test/cb")]
    [InlineData("https://app.test\\@evil.test")]
    [InlineData("https://app.test/cb%0d%0a")]
    [InlineData("https://аpp.test/cb")] // Cyrillic "а"
    [InlineData("http://app.test/cb")]
    [InlineData("https://app.test/cb?code=evil&state=x")]
    [InlineData("javascript:alert(1)")]
    [InlineData("")]
    public async Task Authorize_UnregisteredOrNearMissRedirectUri_ShowsErrorPageWithoutRedirect(string redirectUri)
    {
        var response = await _client.GetAsync(BrowserTenant.Authorize(("redirect_uri", redirectUri)));

        await AssertErrorPageAsync(response);
    }

    [Theory]
    [InlineData("query")]
    [InlineData("fragment")]
    [InlineData("form_post")]
    [InlineData("web_message")]
    public async Task Authorize_UnregisteredRedirectUriInAnyResponseMode_NeverDeliversToIt(string responseMode)
    {
        var response = await _client.GetAsync(BrowserTenant.Authorize(
            ("redirect_uri", "https://evil.test/cb"), ("response_mode", responseMode), ("prompt", "none")));

        await AssertErrorPageAsync(response);
        Assert.DoesNotContain("evil.test", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Authorize_WebMessageToCallbackOutsideWebOrigins_ShowsErrorPage()
    {
        // A registered callback, but its origin is not one of the Application's web origins (Auth0 requires it).
        var response = await _client.GetAsync(BrowserTenant.Authorize(
            ("client_id", BrowserTenant.NoLogoutUrls), ("redirect_uri", "https://other.test/cb"), ("response_mode", "web_message"), ("prompt", "none")));

        await AssertErrorPageAsync(response);
    }

    [Fact]
    public async Task ErrorPage_ClientIdWithMarkup_RendersItEncoded()
    {
        const string Attack = "\"><script>alert(1)</script><img src=x onerror=alert(2)>";

        var response = await _client.GetAsync(BrowserTenant.Authorize(("client_id", Attack), ("redirect_uri", Attack)));

        var body = await AssertErrorPageAsync(response);
        Assert.DoesNotContain("<script>alert", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", body, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("OPTIONS")]
    public async Task Authorize_CrossOriginRequest_HasNoCorsHeaders(string method)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), BrowserTenant.Authorize());
        request.Headers.Add("Origin", BrowserTenant.AppOrigin);
        request.Headers.Add("Access-Control-Request-Method", "GET");

        var response = await _client.SendAsync(request);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Methods"));
    }

    /// <summary>The product error page: HTML, 4xx, no Location, framing and sniffing blocked, nothing cached.</summary>
    internal static async Task<string> AssertErrorPageAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString() ?? string.Empty, StringComparison.Ordinal);

        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("<h1", body, StringComparison.Ordinal);
        Assert.Contains("class=\"alert\" role=\"alert\"><code>", body, StringComparison.Ordinal);
        return body;
    }
}
