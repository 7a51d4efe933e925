using System.Net;
using System.Text.Json;
using Latchkey.AspNetCore.Authentication;
using Latchkey.AspNetCore.Caching;
using Latchkey.AspNetCore.Metadata;
using Latchkey.AspNetCore.Tests.Infrastructure;
using Latchkey.AspNetCore.Validation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.Protocols;

namespace Latchkey.AspNetCore.Tests.Authentication;

/// <summary>
/// Whatever a library throws while a token is validated, the caller gets a 401 (never a 500, never a stack trace):
/// here the metadata retriever fails with an exception no fetch-failure rule expects (the real retriever wraps every
/// network failure in an <see cref="IOException"/>, so the fault is injected in the scheme's validator).
/// </summary>
public sealed class UnexpectedFailureTests : IAsyncLifetime
{
    private TestAuthority _authority = null!;
    private ProtectedApi _api = null!;

    public async Task InitializeAsync()
    {
        _authority = await TestAuthority.StartAsync();
        var issuer = new Uri(_authority.Issuer);
        _api = await ProtectedApi.StartAsync(_authority, services: services => services.PostConfigure<LatchkeyBearerOptions>(
            LatchkeyDefaults.AuthenticationScheme,
            o => o.Validator = new LatchkeyTokenValidator(
                issuer,
                TestAuthority.Audience,
                o.ValidAlgorithms,
                o.ClockSkew,
                o.MaxTokenBytes,
                new ValidatedTokenCache(100, 1_000_000),
                changed => new AuthorityMetadata(issuer, new ThrowingRetriever(), _authority.Clock, TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(30), NullLogger.Instance, changed),
                _authority.Clock,
                NullLogger.Instance)));
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _authority.DisposeAsync();
    }

    [Fact]
    public async Task ValidationThrowsUnexpectedly_Returns401InvalidTokenWithoutDetails()
    {
        using var response = await _api.GetAsync("private", _authority.Mint());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"invalid token\"", response.Headers.WwwAuthenticate.ToString());
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(nameof(ThrowingRetriever), text, StringComparison.Ordinal);
        using var body = JsonDocument.Parse(text);
        Assert.Equal("invalid_token", body.RootElement.GetProperty("error").GetString());
        Assert.Equal("invalid token", body.RootElement.GetProperty("error_description").GetString());
    }

    private sealed class ThrowingRetriever : IDocumentRetriever
    {
        public Task<string> GetDocumentAsync(string address, CancellationToken cancel) =>
            throw new NotSupportedException(nameof(ThrowingRetriever) + " refuses every request");
    }
}
