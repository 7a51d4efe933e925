using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Latchkey.AspNetCore.Tests.Infrastructure;

namespace Latchkey.AspNetCore.Tests.Authentication;

/// <summary>
/// How the bearer handler reads the <c>Authorization</c> header (RFC 6750 §2.1, §3.1): each malformed form answers its
/// own refusal, written as a <c>WWW-Authenticate</c> challenge and a JSON body.
/// </summary>
public sealed class BearerHeaderTests : IClassFixture<AuthorityAndApi>
{
    private readonly TestAuthority _authority;
    private readonly ProtectedApi _api;

    public BearerHeaderTests(AuthorityAndApi fixture)
    {
        _authority = fixture.Authority;
        _api = fixture.Api;
    }

    [Fact]
    public async Task TwoAuthorizationHeaders_EvenBothValid_Returns400InvalidRequest()
    {
        // HttpClient folds repeated headers, so the request is written on a socket: two header lines, two values.
        var token = _authority.Mint();
        var response = await RawGetAsync($"Authorization: Bearer {token}\r\nAuthorization: Bearer {token}\r\n");

        Assert.StartsWith("HTTP/1.1 400 ", response, StringComparison.Ordinal);
        Assert.Contains("WWW-Authenticate: Bearer error=\"invalid_request\", error_description=\"more than one Authorization header\"", response, StringComparison.Ordinal);
        Assert.Contains("{\"error\":\"invalid_request\",\"error_description\":\"more than one Authorization header\"}", response, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("bearer ")]
    [InlineData("  Bearer  ")]
    public async Task BearerWithoutToken_Returns400MissingToken(string header)
    {
        await AssertRefusal(header, HttpStatusCode.BadRequest, "invalid_request", "missing token");
    }

    [Theory]
    [InlineData("Bearer a b")]
    [InlineData("Bearer a,b")]
    [InlineData("Bearer a\tb")]
    [InlineData("Bearer ,")]
    public async Task BearerWithMalformedToken_Returns400Malformed(string header)
    {
        await AssertRefusal(header, HttpStatusCode.BadRequest, "invalid_request", "malformed Authorization header");
    }

    [Fact]
    public async Task BearerSchemeInAnyCase_ValidToken_Returns200()
    {
        using var response = await SendAsync("bEaReR " + _authority.Mint());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task BearerToken_SurroundingSpaces_Returns200()
    {
        using var response = await SendAsync("Bearer  " + _authority.Mint() + "  ");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("BearerX abc")]
    public async Task OtherScheme_NotOurs_Returns401ChallengeWithoutError(string header)
    {
        // RFC 6750 §3.1: a request without bearer credentials gets a challenge with no error code.
        using var response = await SendAsync(header);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("a bearer access token is required", body.RootElement.GetProperty("error_description").GetString());
    }

    [Fact]
    public async Task Refusal_IsNotCached()
    {
        using var response = await SendAsync("Bearer");
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
    }

    private async Task AssertRefusal(string header, HttpStatusCode status, string error, string description)
    {
        using var response = await SendAsync(header);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal($"Bearer error=\"{error}\", error_description=\"{description}\"", response.Headers.WwwAuthenticate.ToString());
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(error, body.RootElement.GetProperty("error").GetString());
        Assert.Equal(description, body.RootElement.GetProperty("error_description").GetString());
    }

    private async Task<HttpResponseMessage> SendAsync(string authorization)
    {
        using var client = _api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "private");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return await client.SendAsync(request);
    }

    private async Task<string> RawGetAsync(string headers)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(_api.Address.Host, _api.Address.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /private HTTP/1.1\r\nHost: localhost\r\n{headers}Connection: close\r\n\r\n"));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return await reader.ReadToEndAsync();
    }
}
