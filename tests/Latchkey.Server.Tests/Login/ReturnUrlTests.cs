using Latchkey.Server.Login;

namespace Latchkey.Server.Tests.Login;

/// <summary>
/// The return-URL rule on its own (AZ-16): only a local path; each refused form is refused for one reason, so every
/// check has a case that only it catches. <see cref="LoginPageTests"/> covers the same rule through the login form.
/// </summary>
public sealed class ReturnUrlTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/some/local/path")]
    [InlineData("/authorize?client_id=a&redirect_uri=http%3A%2F%2Flocalhost%3A3000%2Fcallback&scope=openid%20profile")]
    [InlineData("/path#fragment")]
    [InlineData("/a%2Fb")]
    [Trait("Rule", "AZ-16")]
    public void IsSafe_LocalPath_Accepted(string value)
    {
        Assert.True(ReturnUrl.IsSafe(value));
        Assert.Equal(value, ReturnUrl.OrDefault(value));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("relative/path")]
    [InlineData("//evil.test")]
    [InlineData("/\\evil.test")]
    [InlineData("\\\\evil.test")]
    [InlineData("https:evil.test")]
    [InlineData("https://evil.test/")]
    [Trait("Rule", "AZ-16")]
    public void IsSafe_NotALocalPath_Refused(string? value)
    {
        Assert.False(ReturnUrl.IsSafe(value));
        Assert.Equal(ReturnUrl.Default, ReturnUrl.OrDefault(value));
    }

    [Theory]
    [InlineData("/a\\b")]
    [InlineData("/a\u0001b")] // control, not whitespace
    [InlineData("/a\u007fb")] // control, not whitespace
    [InlineData("/a b")] // whitespace, not control
    [InlineData("/a\u00a0b")] // whitespace, not control
    [InlineData("/a\u2028b")] // line separator
    [InlineData("/a\u2029b")] // paragraph separator
    [InlineData("/a\ufeffb")] // neither: a format character
    [InlineData("/a?next=x y")] // raw whitespace in the query too
    [Trait("Rule", "AZ-16")]
    public void IsSafe_BackslashWhitespaceOrControlCharacter_Refused(string value)
    {
        Assert.False(ReturnUrl.IsSafe(value));
    }

    [Theory]
    [InlineData("/%2F%2Fevil.test")]
    [InlineData("/%5Cevil.test")]
    [InlineData("/%09/evil.test")] // CVE-2024-39694
    [InlineData("/a%20b")]
    [InlineData("/a%E2%80%A8b")]
    [InlineData("/%252F%252Fevil.test")] // encoded twice
    [InlineData("/%25252F%25252Fevil.test")] // encoded three times
    [Trait("Rule", "AZ-16")]
    public void IsSafe_PathUnsafeOnceDecoded_Refused(string value)
    {
        Assert.False(ReturnUrl.IsSafe(value));
    }

    [Fact]
    [Trait("Rule", "AZ-16")]
    public void IsSafe_EncodedSpaceInQuery_Accepted()
    {
        // The query is checked raw only: it carries encoded URLs and scopes.
        Assert.True(ReturnUrl.IsSafe("/authorize?scope=openid%20profile&next=%2F%2Fanywhere"));
    }

    [Fact]
    [Trait("Rule", "AZ-16")]
    public void IsSafe_Length_At8192AcceptedAbove8192Refused()
    {
        var limit = "/" + new string('a', 8191);
        Assert.True(ReturnUrl.IsSafe(limit));
        Assert.False(ReturnUrl.IsSafe(limit + "a"));
    }
}
