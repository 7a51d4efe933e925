using System.Net;
using System.Text.RegularExpressions;
using Latchkey.Server.Tests.Protocol.Browser;

namespace Latchkey.Server.Tests.Management;

/// <summary>
/// Scalar's API reference at <c>/api/v2/docs</c>: served from the package, never a CDN, under a strict CSP whose
/// nonce matches the page's scripts, and it renders the operations in a real browser.
/// </summary>
public sealed partial class ManagementDocsTests(ManagementServerFixture fixture) : IClassFixture<ManagementServerFixture>
{
    [Fact]
    public async Task Docs_Page_LoadsOnlyLocalScriptsUnderNonceCsp()
    {
        using var client = fixture.Server.CreateClient();

        using var redirect = await client.GetAsync("api/v2/docs");
        using var page = await client.GetAsync("api/v2/docs/");
        using var script = await client.GetAsync("api/v2/docs/scalar.js");

        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        var nonce = NonceInCsp().Match(csp).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(nonce), csp);
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        var scripts = ScriptTag().Matches(html).Select(m => m.Value).ToList();
        Assert.NotEmpty(scripts);
        Assert.All(scripts, tag => Assert.Contains($"nonce=\"{nonce}\"", tag, StringComparison.Ordinal));
        Assert.DoesNotContain("https://", string.Concat(scripts), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.True((await script.Content.ReadAsByteArrayAsync()).Length > 100_000, "scalar.js is served from the package");
    }

    [Fact]
    public async Task Docs_InChromium_RendersTheOperations()
    {
        var dom = await HeadlessChromium.DumpDomAsync(fixture.Server.Issuer + "api/v2/docs/", TimeSpan.FromSeconds(90));

        Assert.Contains("Get a user", dom, StringComparison.Ordinal);
        Assert.Contains("Update a user", dom, StringComparison.Ordinal);
    }

    [GeneratedRegex("'nonce-([^']+)'")]
    private static partial Regex NonceInCsp();

    [GeneratedRegex("<script[^>]*>")]
    private static partial Regex ScriptTag();
}
