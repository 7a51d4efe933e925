using System.Text.Json;
using System.Text.RegularExpressions;

namespace Latchkey.Server.Tests.Protocol.Browser;

/// <summary>
/// Reads what a <c>web_message</c> page would post: the message object and the postMessage target origin, taken from
/// the page's script exactly as a browser would evaluate the two JSON literals.
/// </summary>
internal sealed partial record WebMessagePage(JsonElement Message, string TargetOrigin, string Html, string ContentSecurityPolicy)
{
    public JsonElement Response => Message.GetProperty("response");

    public string? this[string name] =>
        Response.TryGetProperty(name, out var value) ? (value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()) : null;

    public static async Task<WebMessagePage> ReadAsync(HttpResponseMessage response)
    {
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Headers.Location);
        var html = await response.Content.ReadAsStringAsync();
        var match = ScriptPattern().Match(html);
        Assert.True(match.Success, "The page has no web_message script: " + html);

        var message = JsonDocument.Parse(match.Groups["message"].Value).RootElement.Clone();
        var target = JsonSerializer.Deserialize<string>(match.Groups["target"].Value)!;
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Equal("authorization_response", message.GetProperty("type").GetString());

        // The inline script runs only because it carries the CSP nonce.
        var nonce = NoncePattern().Match(csp).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(nonce));
        Assert.Contains($"<script nonce=\"{nonce}\">", html, StringComparison.Ordinal);
        return new WebMessagePage(message, target, html, csp);
    }

    [GeneratedRegex("""var m=(?<message>\{.*\});var w=window\.opener\|\|window\.parent;w\.postMessage\(m,(?<target>"[^"]*")\);""")]
    private static partial Regex ScriptPattern();

    [GeneratedRegex("script-src 'nonce-([^']+)'")]
    private static partial Regex NoncePattern();
}
