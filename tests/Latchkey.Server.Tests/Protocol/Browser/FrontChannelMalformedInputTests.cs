using System.Net;
using System.Text;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Protocol.Browser;

/// <summary>docs/reference/security-catalogue.md AZ-10, AZ-17, DOS-4: malformed authorization and logout requests get a 4xx, never a 5xx.</summary>
[Trait("Rule", "AZ-10")]
[Trait("Rule", "AZ-17")]
[Trait("Rule", "DOS-4")]
public sealed class FrontChannelMalformedInputTests(BrowserServerFixture fixture) : IClassFixture<BrowserServerFixture>, IDisposable
{
    private readonly LatchkeyTestServer _server = fixture.Server;
    private readonly HttpClient _client = fixture.Server.CreateClient();

    public void Dispose() => _client.Dispose();

    [Theory]
    [InlineData("/authorize?client_id=%00&redirect_uri=%00&response_type=code")]
    [InlineData("/authorize?client_id=spa%00&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&response_type=code&scope=openid")]
    [InlineData("/authorize?client_id=spa&redirect_uri=https%3A%2F%2Fapp.test%2Fcb%00&response_type=code&scope=openid")]
    [InlineData("/authorize?client_id=spa&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&response_type=code%00&scope=openid&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256")]
    [InlineData("/authorize?client_id=spa&client_id=legacy&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&response_type=code&scope=openid")]
    [InlineData("/authorize?client_id=spa&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&redirect_uri=https%3A%2F%2Fevil.test%2Fcb&response_type=code&scope=openid")]
    [InlineData("/authorize?%ff%fe=%c3%28&client_id=%c3%28")]
    [InlineData("/authorize?client_id=spa&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&response_type=code&scope=openid&max_age=-1&prompt=none&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256")]
    [InlineData("/authorize?client_id=spa&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&response_type=code&scope=openid&max_age=abc&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256")]
    [InlineData("/authorize?client_id=spa&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&response_type=code&scope=openid&prompt=none%20login&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256")]
    [InlineData("/authorize?client_id=spa&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&response_type=code&scope=openid&response_mode=web_message&response_mode=query")]
    [InlineData("/authorize?client_id=spa&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&response_type=code&lk_reauth=garbage&prompt=none&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256")]
    [InlineData("/v2/logout?client_id=%00&returnTo=%00")]
    [InlineData("/v2/logout?client_id=spa&returnTo=https%3A%2F%2Fapp.test%2F&returnTo=https%3A%2F%2Fevil.test%2F")]
    [InlineData("/oidc/logout?id_token_hint=not.a.jwt&post_logout_redirect_uri=https%3A%2F%2Fapp.test%2F")]
    [InlineData("/oidc/logout?id_token_hint=eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.&post_logout_redirect_uri=https%3A%2F%2Fapp.test%2F")]
    public async Task Endpoint_MalformedInput_NeverServerErrorNeverForeignRedirect(string url)
    {
        var response = await _client.GetAsync(url);

        Assert.True((int)response.StatusCode < 500, $"{url} answered {(int)response.StatusCode}");
        if (response.Headers.Location is { } location)
        {
            Assert.DoesNotContain("evil.test", location.OriginalString, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [InlineData("PUT", "/authorize")]
    [InlineData("DELETE", "/authorize")]
    [InlineData("PATCH", "/v2/logout")]
    [InlineData("PUT", "/oidc/logout")]
    public async Task Endpoint_UnsupportedMethod_Answers4xx(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path + "?client_id=spa");

        var response = await _client.SendAsync(request);

        Assert.InRange((int)response.StatusCode, 400, 499);
    }

    [Fact]
    public async Task Authorize_DuplicateClientId_IsNotAccepted()
    {
        var response = await _client.GetAsync(
            "/authorize?client_id=spa&client_id=legacy&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&response_type=code&scope=openid");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Authorize_OneMegabyteQuery_RejectedWith4xx()
    {
        var url = BrowserTenant.Authorize(("state", new string('a', 1024 * 1024)));

        var response = await _client.GetAsync(url);

        Assert.InRange((int)response.StatusCode, 400, 499);
    }

    [Fact]
    public async Task Authorize_PostWithGarbageBody_Answers4xx()
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("client_id=spa&\0\0\0=%%%&redirect_uri"));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");

        var response = await _client.PostAsync("/authorize", content);

        Assert.InRange((int)response.StatusCode, 400, 499);
    }

    [Fact]
    public async Task Authorize_PostWithJsonBody_Answers4xx()
    {
        using var content = new StringContent("{\"client_id\":\"spa\"}", Encoding.UTF8, "application/json");

        var response = await _client.PostAsync("/authorize", content);

        Assert.InRange((int)response.StatusCode, 400, 499);
    }
}
