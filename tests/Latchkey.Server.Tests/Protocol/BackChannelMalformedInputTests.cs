using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Latchkey.Server.Tests.Protocol;

/// <summary>
/// R-FUZZ-3 (bounded): malformed requests at the endpoints the protocol core owns are answered with a 4xx and, where
/// the endpoint speaks JSON, an OAuth error body; never a 5xx.
/// </summary>
[Trait("Rule", "R-FUZZ-3")]
[Trait("Rule", "DOS-4")]
public sealed class BackChannelMalformedInputTests(ProtocolServerFixture fixture) : IClassFixture<ProtocolServerFixture>
{
    public static TheoryData<string, string, string> TokenBodies => new()
    {
        { "empty form", "application/x-www-form-urlencoded", "" },
        { "text/plain", "text/plain", "grant_type=client_credentials" },
        { "no media type", "application/octet-stream", "\u0001\u0002\u0003" },
        { "multipart", "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"grant_type\"\r\n\r\nclient_credentials\r\n--x--" },
        { "invalid json", "application/json", "{\"grant_type\": " },
        { "json array", "application/json", "[\"grant_type\"]" },
        { "json nested", "application/json", "{\"grant_type\":{\"a\":1},\"client_id\":\"m2m\"}" },
        { "json duplicate", "application/json", "{\"grant_type\":\"client_credentials\",\"grant_type\":\"refresh_token\"}" },
        { "json deep", "application/json", new string('[', 500) + new string(']', 500) },
        { "json bad utf8", "application/json; charset=utf-8", "{\"client_id\":\"\udfff\"}" },
        { "duplicate form parameter", "application/x-www-form-urlencoded", "grant_type=client_credentials&grant_type=refresh_token&client_id=m2m" },
        { "nul byte", "application/x-www-form-urlencoded", "grant_type=client_credentials&client_id=m2m%00&client_secret=x" },
        { "unknown grant", "application/x-www-form-urlencoded", "grant_type=password&client_id=spa&username=a&password=b" },
        { "urn grant", "application/x-www-form-urlencoded", "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&client_id=spa" },
        { "garbage refresh token", "application/x-www-form-urlencoded", "grant_type=refresh_token&client_id=spa&refresh_token=%FF%FE.abc.def" },
        { "garbage code", "application/x-www-form-urlencoded", "grant_type=authorization_code&client_id=spa&code=AAAA&code_verifier=x&redirect_uri=http%3A%2F%2Flocalhost%3A3000%2Fcallback" },
        { "jwt-looking code", "application/x-www-form-urlencoded", "grant_type=authorization_code&client_id=spa&code=eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.&code_verifier=x" },
        { "percent garbage", "application/x-www-form-urlencoded", "grant_type=%%%&client_id=%ZZ" },
        { "too many parameters", "application/x-www-form-urlencoded", string.Join('&', Enumerable.Range(0, 2000).Select(i => $"p{i}=v")) },
        { "huge value", "application/x-www-form-urlencoded", "grant_type=client_credentials&client_id=" + new string('a', 200_000) },
        { "huge json", "application/json", "{\"client_id\":\"" + new string('a', 200_000) + "\"}" },
        { "crlf in value", "application/x-www-form-urlencoded", "grant_type=client_credentials&client_id=m2m%0D%0ASet-Cookie%3A%20x&client_secret=abc&audience=https%3A%2F%2Fapi.example.com" },
    };

    [Theory]
    [MemberData(nameof(TokenBodies))]
    public async Task TokenEndpoint_GarbageBody_Is4xxJsonError(string name, string contentType, string body)
    {
        using var client = fixture.Server.CreateClient();
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);

        var response = await client.PostAsync("oauth/token", content);

        await AssertOAuthErrorAsync(response, name);
    }

    [Theory]
    [MemberData(nameof(TokenBodies))]
    public async Task RevocationEndpoint_GarbageBody_IsNever5xx(string name, string contentType, string body)
    {
        using var client = fixture.Server.CreateClient();
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);

        var response = await client.PostAsync("oauth/revoke", content);

        Assert.True((int)response.StatusCode < 500, $"{name}: {(int)response.StatusCode}");
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task TokenEndpoint_WrongMethod_Is4xx(string method)
    {
        using var client = fixture.Server.CreateClient();

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "oauth/token?grant_type=client_credentials"));

        Assert.InRange((int)response.StatusCode, 400, 499);
    }

    [Fact]
    public async Task TokenEndpoint_NoContentType_IsInvalidRequest()
    {
        using var client = fixture.Server.CreateClient();
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("grant_type=client_credentials"));

        var response = await client.PostAsync("oauth/token", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", (string?)(await response.ReadJsonObjectAsync())["error"]);
    }

    [Theory]
    [InlineData("Basic")]
    [InlineData("Basic !!!not-base64!!!")]
    [InlineData("Basic bTJt")]
    [InlineData("Basic //79")]
    [InlineData("Bearer abc")]
    public async Task TokenEndpoint_MalformedAuthorizationHeader_Is4xx(string header)
    {
        using var client = fixture.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "oauth/token")
        {
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials"), new("audience", ProtocolTenant.Api)]),
        };
        request.Headers.TryAddWithoutValidation("Authorization", header);

        var response = await client.SendAsync(request);

        await AssertOAuthErrorAsync(response, header);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer")]
    [InlineData("Bearer not-a-token")]
    [InlineData("Bearer eyJhbGciOiJub25lIiwidHlwIjoiYXQrand0In0.eyJzdWIiOiJ4In0.")]
    [InlineData("Basic bTJtOnNlY3JldA==")]
    public async Task UserInfo_MissingOrBadToken_Is4xx(string? header)
    {
        using var client = fixture.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "userinfo");
        if (header is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", header);
        }

        var response = await client.SendAsync(request);

        Assert.InRange((int)response.StatusCode, 400, 499);
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded", "access_token=a&access_token=b")]
    [InlineData("application/x-www-form-urlencoded", "access_token=%00")]
    [InlineData("application/json", "{\"access_token\":1}")]
    [InlineData("text/plain", "hello")]
    [InlineData("application/x-www-form-urlencoded", "%C3%A9t%C3%A9=1&%C3%A9t%C3%A9=2")] // a non-ASCII name echoed into WWW-Authenticate (found by BlackBoxFuzzTests)
    [InlineData("application/x-www-form-urlencoded", "%FF%FE=1&%FF%FE=2")]
    public async Task UserInfo_GarbagePostBody_Is4xx(string contentType, string body)
    {
        using var client = fixture.Server.CreateClient();
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);

        var response = await client.PostAsync("userinfo", content);

        Assert.InRange((int)response.StatusCode, 400, 499);
    }

    [Theory]
    [InlineData(".well-known/openid-configuration")]
    [InlineData(".well-known/jwks.json")]
    public async Task MetadataEndpoints_PostOrQueryGarbage_AreNever5xx(string path)
    {
        using var client = fixture.Server.CreateClient();

        var post = await client.PostAsync(path, new StringContent("{", Encoding.UTF8, "application/json"));
        var query = await client.GetAsync(path + "?x=%00&x=%FF&" + new string('a', 4000) + "=1");

        Assert.True((int)post.StatusCode < 500);
        Assert.True((int)query.StatusCode < 500);
    }

    private static async Task AssertOAuthErrorAsync(HttpResponseMessage response, string name)
    {
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{name}: {(int)response.StatusCode}");
        if (response.StatusCode == HttpStatusCode.RequestEntityTooLarge)
        {
            return;
        }

        var body = await response.ReadJsonObjectAsync();
        Assert.False(string.IsNullOrEmpty((string?)body["error"]), name);
        Assert.Null(body["access_token"]);
    }
}
