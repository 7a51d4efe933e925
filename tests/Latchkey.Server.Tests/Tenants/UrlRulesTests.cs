using Latchkey.Server.Tenants.Rules;

namespace Latchkey.Server.Tests.Tenants;

/// <summary>
/// What an Application's callback, logout URL and web origin may be, checked directly: each case breaks one rule and
/// asserts that rule's message (the tenant file and the Management API show the same text).
/// </summary>
public sealed class UrlRulesTests
{
    [Theory]
    [InlineData("https://app.example.com/callback")]
    [InlineData("http://localhost:3000/callback")]
    [InlineData("http://127.0.0.1:8080/cb")]
    [InlineData("http://[::1]/cb")]
    [InlineData("http://app.localhost/cb")]
    [InlineData("https://app.example.com/cb?tenant=a")]
    public void CheckUrl_HttpsOrLoopbackHttp_Accepted(string url)
    {
        Assert.Null(UrlRules.CheckUrl(url, allowPrivateUseScheme: false));
    }

    [Fact]
    public void CheckUrl_PrivateUseSchemeWithDot_AcceptedOnlyWhenAllowed()
    {
        Assert.Null(UrlRules.CheckUrl("com.example.app:/callback", allowPrivateUseScheme: true));
        Assert.Equal("\"com.example.app:/callback\" is not an absolute http(s) URL", UrlRules.CheckUrl("com.example.app:/callback", allowPrivateUseScheme: false));
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/html,x")]
    [InlineData("file:///etc/passwd")]
    [InlineData("myapp:/callback")]
    [InlineData("/callback")]
    [InlineData("app.example.com/callback")]
    public void CheckUrl_NotHttpNorPrivateUse_Refused(string url)
    {
        Assert.Equal($"\"{url}\" is not an absolute http(s) URL", UrlRules.CheckUrl(url, allowPrivateUseScheme: true));
    }

    [Theory]
    [InlineData("https://app.example.com/cb#x", true)]
    [InlineData("com.example.app:/cb#x", true)]
    public void CheckUrl_Fragment_Refused(string url, bool allowPrivateUse)
    {
        Assert.Equal($"\"{url}\" must not contain a fragment (#)", UrlRules.CheckUrl(url, allowPrivateUse));
    }

    [Fact]
    public void CheckUrl_UserInfo_Refused()
    {
        Assert.Equal("\"https://user:pw@app.example.com/cb\" must not contain user information (user:password@)", UrlRules.CheckUrl("https://user:pw@app.example.com/cb", false));
    }

    [Theory]
    [InlineData("http://app.example.com/cb")]
    [InlineData("http://localhost.evil.example/cb")]
    [InlineData("http://192.168.1.10/cb")]
    public void CheckUrl_HttpBeyondLoopback_Refused(string url)
    {
        Assert.Equal($"\"{url}\" uses http; only localhost and loopback addresses may use http, use https", UrlRules.CheckUrl(url, false));
    }

    [Fact]
    public void CheckUrl_Empty_Refused()
    {
        Assert.Equal("must not be empty", UrlRules.CheckUrl("", false));
        Assert.Equal("must not be empty", UrlRules.CheckOrigin(""));
    }

    [Fact]
    public void CheckUrl_Length_At2048AcceptedAbove2048Refused()
    {
        var limit = "https://app.example.com/" + new string('a', 2048 - "https://app.example.com/".Length);
        Assert.Null(UrlRules.CheckUrl(limit, false));
        Assert.Equal("must be at most 2048 characters", UrlRules.CheckUrl(limit + "a", false));
        Assert.Equal("must be at most 2048 characters", UrlRules.CheckOrigin("https://" + new string('a', 2041) + ".com"));
    }

    [Theory]
    [InlineData("https://app.example.com/a b", "https://app.example.com/a b")] // whitespace, not control
    [InlineData("https://app.example.com/a\u00a0b", "https://app.example.com/a\u00a0b")] // whitespace, not control
    [InlineData("https://app.example.com/a\u0001b", "https://app.example.com/a\\u0001b")] // control, not whitespace
    [InlineData("https://app.example.com/\tb", "https://app.example.com/\\u0009b")]
    public void CheckUrl_WhitespaceOrControlCharacter_RefusedAndShownPrintable(string url, string shown)
    {
        var expected = $"\"{shown}\" contains whitespace or control characters";
        Assert.Equal(expected, UrlRules.CheckUrl(url, false));
        Assert.Equal(expected, UrlRules.CheckOrigin(url));
    }

    [Fact]
    public void CheckUrl_Wildcard_Refused()
    {
        Assert.Equal("\"https://*.example.com/cb\" contains a wildcard; list each URL exactly", UrlRules.CheckUrl("https://*.example.com/cb", false));
        Assert.Equal("\"https://*.example.com\" contains a wildcard; list each URL exactly", UrlRules.CheckOrigin("https://*.example.com"));
    }

    [Theory]
    [InlineData("https://app.example.com")]
    [InlineData("https://app.example.com/")]
    [InlineData("https://app.example.com:8443")]
    [InlineData("http://localhost:3000")]
    public void CheckOrigin_SchemeHostPort_Accepted(string origin)
    {
        Assert.Null(UrlRules.CheckOrigin(origin));
    }

    [Theory]
    [InlineData("ftp://app.example.com")]
    [InlineData("com.example.app://callback")]
    [InlineData("app.example.com")]
    public void CheckOrigin_NotHttp_Refused(string origin)
    {
        Assert.Equal($"\"{origin}\" is not an absolute http(s) origin", UrlRules.CheckOrigin(origin));
    }

    [Theory]
    [InlineData("https://app.example.com/path")]
    [InlineData("https://app.example.com?x=1")]
    [InlineData("https://app.example.com/?x=1")]
    [InlineData("https://app.example.com#x")]
    public void CheckOrigin_PathQueryOrFragment_Refused(string origin)
    {
        Assert.Equal($"\"{origin}\" is not an origin (scheme://host[:port], no path, query or fragment)", UrlRules.CheckOrigin(origin));
    }

    [Fact]
    public void CheckOrigin_HttpBeyondLoopbackOrUserInfo_Refused()
    {
        Assert.Equal("\"http://app.example.com\" uses http; only localhost and loopback addresses may use http, use https", UrlRules.CheckOrigin("http://app.example.com"));
        Assert.Equal("\"https://u:p@app.example.com\" must not contain user information (user:password@)", UrlRules.CheckOrigin("https://u:p@app.example.com"));
    }
}
