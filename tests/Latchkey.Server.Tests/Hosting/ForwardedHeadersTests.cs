using System.Net;
using System.Text.Json.Nodes;
using Latchkey.Server.AttackProtection;
using Latchkey.Server.Login;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Protocol;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Tests.Hosting;

/// <summary>
/// Behind a TLS-terminating proxy: <c>X-Forwarded-For</c>/<c>-Proto</c> are believed only from configured proxies. Then
/// the login throttle counts the client's address, cookies are <c>Secure</c> and redirects use https; the issuer never
/// follows a forwarded host. From anyone else the headers change nothing.
/// </summary>
public sealed class ForwardedHeadersTests
{
    private const string ClientAddress = "203.0.113.7";

    [Fact]
    public async Task NoProxyConfigured_ForwardedHeaders_Ignored()
    {
        await using var server = await LatchkeyTestServer.StartAsync(ProtocolTenant.Json);

        var seen = await ProbeAsync(server);

        Assert.Equal("127.0.0.1", seen.ThrottledAddress);
        Assert.False(seen.SessionCookieSecure);
        Assert.StartsWith("http://127.0.0.1:", seen.LoginRedirect, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OtherProxyConfigured_ForwardedHeadersFromUnknownAddress_Ignored()
    {
        await using var server = await LatchkeyTestServer.StartAsync(ProtocolTenant.Json, "--Latchkey:ForwardedHeaders:KnownNetworks:0", "10.0.0.0/8");

        var seen = await ProbeAsync(server);

        Assert.Equal("127.0.0.1", seen.ThrottledAddress);
        Assert.False(seen.SessionCookieSecure);
    }

    [Fact]
    public async Task KnownProxy_ForwardedHeaders_ClientAddressSecureCookiesHttpsRedirectsSameIssuer()
    {
        await using var server = await LatchkeyTestServer.StartAsync(ProtocolTenant.Json,
            "--Latchkey:ForwardedHeaders:KnownProxies:0", "10.9.8.7, 127.0.0.1", "--Latchkey:Issuer", "https://id.example.test/");

        var seen = await ProbeAsync(server);

        Assert.Equal(ClientAddress, seen.ThrottledAddress);
        Assert.True(seen.SessionCookieSecure);
        Assert.StartsWith("https://127.0.0.1:", seen.LoginRedirect, StringComparison.Ordinal);
        Assert.Equal("https://id.example.test/", seen.Issuer);
        Assert.Equal("https://id.example.test/oauth/token", seen.TokenEndpoint);
    }

    [Theory]
    [InlineData("KnownNetworks:0", "0.0.0.0/0", "Latchkey:ForwardedHeaders:KnownNetworks: \"0.0.0.0/0\" trusts every address; list the proxies' own addresses or networks.")]
    [InlineData("KnownNetworks:0", "::/0", "Latchkey:ForwardedHeaders:KnownNetworks: \"::/0\" trusts every address; list the proxies' own addresses or networks.")]
    [InlineData("KnownNetworks:0", "10.0.0.0/33", "Latchkey:ForwardedHeaders:KnownNetworks: \"10.0.0.0/33\" is not a network in CIDR notation (10.0.0.0/24).")]
    [InlineData("KnownProxies:0", "proxy.internal", "Latchkey:ForwardedHeaders:KnownProxies: \"proxy.internal\" is not an IP address.")]
    public async Task BadProxySetting_StartFailsNamingTheSetting(string key, string value, string message)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            LatchkeyTestServer.StartAsync(ProtocolTenant.Json, $"--Latchkey:ForwardedHeaders:{key}", value));

        Assert.Equal([message], error.Failures);
    }

    /// <summary>
    /// Sends what a proxy in front of Latchkey would send (client address and https) on a wrong login, a right login and
    /// an authorization request without a session, and reports what the server made of it. Cookies are carried by hand:
    /// a Secure cookie would not travel back over the test's plain-http connection otherwise.
    /// </summary>
    private static async Task<Seen> ProbeAsync(LatchkeyTestServer server)
    {
        using var client = server.CreateClient();
        var cookies = new Dictionary<string, string>(StringComparer.Ordinal);
        var sessionSecure = false;

        async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
        {
            request.Headers.Add("X-Forwarded-For", ClientAddress);
            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Add("X-Forwarded-Host", "evil.test");
            if (cookies.Count > 0)
            {
                request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Key}={c.Value}")));
            }

            var response = await client.SendAsync(request);
            foreach (var header in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
            {
                var pair = header.Split(';')[0].Split('=', 2);
                cookies[pair[0]] = pair[1];
                if (pair[0] == "latchkey_session")
                {
                    sessionSecure = header.Contains("; secure", StringComparison.OrdinalIgnoreCase);
                }
            }

            return response;
        }

        async Task<HttpResponseMessage> LogInAsync(string password)
        {
            using var page = await SendAsync(new HttpRequestMessage(HttpMethod.Get, "login"));
            var token = LoginDriver.ParseAntiforgeryToken(await page.Content.ReadAsStringAsync());
            return await SendAsync(new HttpRequestMessage(HttpMethod.Post, "login")
            {
                Content = new FormUrlEncodedContent([new("email", ProtocolTenant.UserEmail), new("password", password), new("returnUrl", "/"), new(LoginDriver.AntiforgeryFieldName, token)]),
            });
        }

        using var authorize = await SendAsync(new HttpRequestMessage(HttpMethod.Get, new CodeFlow().AuthorizeUrl()));
        using var wrong = await LogInAsync("not the password at all");
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        await using var scope = server.Services.CreateAsyncScope();
        var throttles = await scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>().Set<LoginThrottle>().AsNoTracking().ToListAsync();
        var address = throttles.Single(t => t.Subject.Contains('@', StringComparison.Ordinal)).IpAddress;
        using var right = await LogInAsync(ProtocolTenant.UserPassword);
        Assert.Equal(HttpStatusCode.SeeOther, right.StatusCode);

        using var discovery = await SendAsync(new HttpRequestMessage(HttpMethod.Get, ".well-known/openid-configuration"));
        var metadata = JsonNode.Parse(await discovery.Content.ReadAsStringAsync())!;
        return new Seen(address, sessionSecure, authorize.Headers.Location!.AbsoluteUri, (string)metadata["issuer"]!, (string)metadata["token_endpoint"]!);
    }

    private sealed record Seen(string ThrottledAddress, bool SessionCookieSecure, string LoginRedirect, string Issuer, string TokenEndpoint);
}
