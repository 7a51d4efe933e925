using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Protocol.Browser;

namespace Latchkey.Server.Tests.Protocol;

/// <summary>
/// Every endpoint that accepts a form reads it through one bounded reader, and every JSON body through one strict
/// parser: an oversized or malformed body is a 4xx with the reason, never a 500 (security catalogue DOS-2, DOS-4).
/// </summary>
public sealed class MalformedBodyTests(BrowserServerFixture fixture) : IClassFixture<BrowserServerFixture>, IDisposable
{
    private readonly HttpClient _client = fixture.Server.CreateClient();

    public void Dispose() => _client.Dispose();

    public static TheoryData<string> BrowserEndpoints => new() { "authorize", "v2/logout", "oidc/logout" };

    public static TheoryData<string> JsonEndpoints => new() { "oauth/token", "oauth/revoke" };

    [Theory]
    [Trait("Rule", "DOS-2")]
    [MemberData(nameof(BrowserEndpoints))]
    public async Task BrowserEndpoint_FormWithMoreThan1024Fields_IsInvalidRequestPage(string path)
    {
        var body = "client_id=spa&" + string.Join('&', Enumerable.Range(0, 1100).Select(i => $"f{i}=v"));

        using var response = await PostAsync(path, "application/x-www-form-urlencoded", Encoding.ASCII.GetBytes(body));

        await AssertErrorPageAsync(response, "The request body is malformed or exceeds the allowed size.");
    }

    [Theory]
    [Trait("Rule", "DOS-4")]
    [MemberData(nameof(BrowserEndpoints))]
    public async Task BrowserEndpoint_FormWithNulClientId_IsInvalidRequestPage(string path)
    {
        using var response = await PostAsync(path, "application/x-www-form-urlencoded", Encoding.ASCII.GetBytes("client_id=%00"));

        // ASP.NET Core's form reader refuses control characters itself; the bounded reader turns that into a 400.
        await AssertErrorPageAsync(response, "The request body is malformed or exceeds the allowed size.");
    }

    [Theory]
    [Trait("Rule", "DOS-4")]
    [MemberData(nameof(BrowserEndpoints))]
    public async Task BrowserEndpoint_QueryWithNulClientId_IsInvalidRequestPage(string path)
    {
        using var response = await _client.GetAsync(path + "?client_id=%00");

        await AssertErrorPageAsync(response, "The 'client_id' parameter contains a NUL character.");
    }

    [Theory]
    [Trait("Rule", "DOS-4")]
    [MemberData(nameof(JsonEndpoints))]
    public async Task JsonBody_InvalidUtf8_IsInvalidRequest(string path)
    {
        byte[] body = [.. "{\"client_id\":\""u8, 0xC3, 0x28, .. "\"}"u8];

        using var response = await PostAsync(path, "application/json", body);

        await AssertInvalidRequestAsync(response, "The JSON body is invalid: not valid UTF-8.");
    }

    [Theory]
    [Trait("Rule", "DOS-4")]
    [MemberData(nameof(JsonEndpoints))]
    public async Task JsonBody_LoneSurrogateEscape_IsInvalidRequest(string path)
    {
        using var response = await PostAsync(path, "application/json", Encoding.ASCII.GetBytes("""{"client_id":"\ud800"}"""));

        await AssertInvalidRequestAsync(response, "The JSON body is invalid: a lone surrogate escape.");
    }

    [Theory]
    [Trait("Rule", "DOS-4")]
    [MemberData(nameof(JsonEndpoints))]
    public async Task JsonBody_LoneSurrogateInPropertyName_IsInvalidRequest(string path)
    {
        using var response = await PostAsync(path, "application/json", Encoding.ASCII.GetBytes("""{"\udc00":"x","client_id":"m2m"}"""));

        await AssertInvalidRequestAsync(response, "The JSON body is invalid: a lone surrogate escape.");
    }

    [Theory]
    [MemberData(nameof(JsonEndpoints))]
    public async Task JsonBody_DuplicateProperty_IsInvalidRequest(string path)
    {
        using var response = await PostAsync(path, "application/json", Encoding.ASCII.GetBytes("""{"client_id":"spa","client_id":"web"}"""));

        await AssertInvalidRequestAsync(response, "The JSON body is invalid: a duplicate property.");
    }

    private async Task<HttpResponseMessage> PostAsync(string path, string contentType, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return await _client.PostAsync(path, content);
    }

    private static async Task AssertErrorPageAsync(HttpResponseMessage response, string description)
    {
        var encodedDescription = System.Text.Encodings.Web.HtmlEncoder.Default.Encode(description);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {html}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.True(html.Contains($"<code>invalid_request</code>: {encodedDescription}", StringComparison.Ordinal), html[html.IndexOf("<div class=\"alert\"", StringComparison.Ordinal)..]);
        Assert.Null(response.Headers.Location);
    }

    private static async Task AssertInvalidRequestAsync(HttpResponseMessage response, string description)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        var body = System.Text.Json.Nodes.JsonNode.Parse(text)!;
        Assert.Equal("invalid_request", (string?)body["error"]);
        Assert.Equal(description, (string?)body["error_description"]);
    }
}
