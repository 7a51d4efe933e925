using System.Net;
using System.Net.Http.Headers;
using Latchkey.Server.Tests.Management;

namespace Latchkey.Server.Tests.Protocol;

/// <summary>
/// RFC 6750 §2.3 says a token in the URI query SHOULD NOT be used and OAuth 2.1 §5.2 drops it: URLs are logged,
/// kept in history and sent in <c>Referer</c>. Latchkey refuses such a request outright (not merely ignores the token),
/// so a client that does it learns at once.
/// </summary>
public sealed class QueryStringTokenTests(ProtocolServerFixture fixture) : IClassFixture<ProtocolServerFixture>
{
    private const string Refused = "Access tokens must not be sent in the query string; send them in the Authorization header (RFC 6750, section 2.1).";

    [Theory]
    [Trait("Rule", "IMP-7")]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task UserInfo_ValidTokenInQueryString_IsInvalidRequest(string method)
    {
        using var client = fixture.Server.CreateClient(new CookieContainer());
        var token = (string)(await new CodeFlow().RunAsync(fixture.Server, client))["access_token"]!;

        using var viaHeader = new HttpRequestMessage(HttpMethod.Get, "userinfo");
        viaHeader.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var control = await client.SendAsync(viaHeader);
        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "userinfo?access_token=" + Uri.EscapeDataString(token)));

        Assert.Equal(HttpStatusCode.OK, control.StatusCode);
        AssertRefused(response);
    }

    [Fact]
    [Trait("Rule", "IMP-7")]
    public async Task UserInfo_TokenInBothHeaderAndQuery_IsInvalidRequest()
    {
        using var client = fixture.Server.CreateClient(new CookieContainer());
        var token = (string)(await new CodeFlow().RunAsync(fixture.Server, client))["access_token"]!;
        using var request = new HttpRequestMessage(HttpMethod.Get, "userinfo?access_token=" + Uri.EscapeDataString(token));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await client.SendAsync(request);

        AssertRefused(response);
    }

    /// <summary>RFC 6750 §3: the userinfo endpoint's errors travel in the WWW-Authenticate challenge.</summary>
    private static void AssertRefused(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("error=\"invalid_request\"", challenge.Parameter, StringComparison.Ordinal);
        Assert.Contains($"error_description=\"{Refused}\"", challenge.Parameter, StringComparison.Ordinal);
    }
}
