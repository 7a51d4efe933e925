using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Protocol.Browser;

/// <summary>
/// docs/reference/security-catalogue.md AZ-5 (RFC 8252 §7.3): a native application registered with a loopback redirect may use any port on
/// exactly that host and path; nothing else near it is ever redirected to.
/// </summary>
[Trait("Rule", "AZ-5")]
public sealed class LoopbackRedirectTests : IAsyncLifetime
{
    private const string Tenant = """
    {
      "clients": [
        {
          "client_id": "native",
          "name": "Native app",
          "app_type": "native",
          "callbacks": [ "http://127.0.0.1/cb" ],
          "grant_types": [ "authorization_code", "refresh_token" ]
        }
      ]
    }
    """;

    private LatchkeyTestServer _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await LatchkeyTestServer.StartAsync(Tenant);
        _client = _server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task NativeClient_LoopbackAnyPort_Redirected()
    {
        var response = await _client.GetAsync(BrowserTenant.Authorize(
            ("client_id", "native"), ("redirect_uri", "http://127.0.0.1:53211/cb"), ("prompt", "none")));

        var location = BrowserTenant.LocationOf(response);
        Assert.StartsWith("http://127.0.0.1:53211/cb?", location.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal("login_required", BrowserTenant.ParametersOf(location)["error"]);
    }

    [Theory]
    [InlineData("http://127.0.0.1:53211/cb?bar=foo")]
    [InlineData("http://localhost:53211/cb")]
    [InlineData("http://127.0.0.1.evil.test/cb")]
    [InlineData("http://127.0.0.1:53211/cb/")]
    [InlineData("http://127.0.0.1:53211/CB")]
    [InlineData("https://127.0.0.1:53211/cb")]
    public async Task NativeClient_NearMissLoopback_ErrorPage(string redirectUri)
    {
        var response = await _client.GetAsync(BrowserTenant.Authorize(
            ("client_id", "native"), ("redirect_uri", redirectUri), ("prompt", "none")));

        await AuthorizeRedirectUriTests.AssertErrorPageAsync(response);
    }
}
