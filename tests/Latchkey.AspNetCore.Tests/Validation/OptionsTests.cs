using Latchkey.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Latchkey.AspNetCore.Tests.Validation;

public sealed class OptionsTests
{
    [Theory]
    [InlineData("auth.example.com", "https://auth.example.com/")]
    [InlineData("https://auth.example.com", "https://auth.example.com/")]
    [InlineData("https://auth.example.com/", "https://auth.example.com/")]
    [InlineData("http://localhost:5000", "http://localhost:5000/")]
    [InlineData("https://example.com/tenant", "https://example.com/tenant/")]
    public void Authority_Normalized_ToIssuerWithOneTrailingSlash(string configured, string issuer)
    {
        Assert.Equal(issuer, AuthorityUri.TryNormalize(configured, out _)!.AbsoluteUri);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ftp://auth.example.com")]
    [InlineData("https://auth.example.com/?x=1")]
    [InlineData("https://user:pw@auth.example.com/")]
    public void Authority_Unusable_RefusedWithMessage(string configured)
    {
        Assert.Null(AuthorityUri.TryNormalize(configured, out var error));
        Assert.Contains("Latchkey:Authority", error);
    }

    [Theory]
    [InlineData("http://localhost:5000/", true)]
    [InlineData("http://127.0.0.1:5000/", true)]
    [InlineData("http://[::1]:5000/", true)]
    [InlineData("http://auth.example.com/", false)]
    public void Options_HttpAuthority_AllowedOnlyOnLoopbackUnlessOptedIn(string authority, bool allowed)
    {
        var validator = new LatchkeyBearerOptionsValidator();
        var options = new LatchkeyBearerOptions { Authority = authority, Audience = "https://quickstarts/api" };
        Assert.Equal(allowed, validator.Validate(null, options).Succeeded);
        options.AllowHttpAuthority = true;
        Assert.True(validator.Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("HS256")]
    [InlineData("none")]
    public void ValidAlgorithms_SymmetricOrNone_Refused(string algorithm)
    {
        var options = new LatchkeyBearerOptions { Authority = "https://a/", Audience = "x" };
        options.ValidAlgorithms.Add(algorithm);
        Assert.False(new LatchkeyBearerOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public async Task Startup_MissingAudience_FailsWithSettingName()
    {
        // Empty on the command line: the output folder also holds samples/api's appsettings.json, which sets an audience.
        var builder = WebApplication.CreateBuilder(["--Latchkey:Authority", "https://auth.example.com", "--Latchkey:Audience", "", "--urls", "http://127.0.0.1:0"]);
        builder.Services.AddAuthentication().AddLatchkey();
        await using var app = builder.Build();
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("Latchkey:Audience", error.Message);
    }
}
