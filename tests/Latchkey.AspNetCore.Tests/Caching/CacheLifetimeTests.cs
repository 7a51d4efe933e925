using System.Net;
using Latchkey.AspNetCore.Tests.Infrastructure;

namespace Latchkey.AspNetCore.Tests.Caching;

/// <summary>A cached validation never outlives the token: time is a FakeTimeProvider shared by authority and API.</summary>
public sealed class CacheLifetimeTests : IAsyncLifetime
{
    private TestAuthority _authority = null!;
    private ProtectedApi _api = null!;

    public async Task InitializeAsync()
    {
        _authority = await TestAuthority.StartAsync();
        _api = await ProtectedApi.StartAsync(_authority, o => o.ClockSkew = TimeSpan.Zero);
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _authority.DisposeAsync();
    }

    [Fact]
    public async Task CachedToken_PastExp_RefusedAsExpired()
    {
        var token = _authority.Mint(p => p["exp"] = _authority.Clock.GetUtcNow().AddSeconds(120).ToUnixTimeSeconds());
        using (var first = await _api.GetAsync("private", token))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        _authority.Clock.Advance(TimeSpan.FromSeconds(119));
        using (var cached = await _api.GetAsync("private", token))
        {
            Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
        }

        _authority.Clock.Advance(TimeSpan.FromSeconds(2));
        using var expired = await _api.GetAsync("private", token);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Contains("error_description=\"token expired\"", expired.Headers.WwwAuthenticate.ToString());
        Assert.Equal(0, _api.Validator.Cache.Count);
    }

    [Fact]
    public async Task SameConnection_RepeatedToken_StillExpiresAtExpAndDifferentTokensAreValidatedApart()
    {
        // One HttpClient keeps one keep-alive connection, so the handler's per-connection memo is exercised.
        using var client = _api.CreateClient();
        var token = _authority.Mint(p => p["exp"] = _authority.Clock.GetUtcNow().AddSeconds(60).ToUnixTimeSeconds());
        Assert.Equal(HttpStatusCode.OK, await SendAsync(client, token));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(client, token));

        var tampered = token[..^3] + (token[^3] == 'A' ? 'B' : 'A') + token[^2..];
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(client, tampered));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(client, token));

        _authority.Clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(client, token));
    }

    [Fact]
    public async Task SameConnection_SigningKeyRetired_RememberedTokenRefused()
    {
        using var client = _api.CreateClient();
        var token = _authority.Mint();
        Assert.Equal(HttpStatusCode.OK, await SendAsync(client, token));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(client, token));

        _authority.Publish(SigningKey.Rsa("key-2"));
        _authority.Clock.Advance(TimeSpan.FromMinutes(11));
        await SendAsync(client, token); // starts the background refresh
        // The refresh runs in the background: a wide deadline, because a loaded machine can take seconds to schedule it.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (_api.Validator.Cache.Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(client, token));
    }

    private static async Task<HttpStatusCode> SendAsync(HttpClient client, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "private");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task CachedPrincipal_MutatedByOneRequest_NextRequestGetsAFreshCopy()
    {
        var token = _authority.Mint();
        using (await _api.GetAsync("private", token))
        {
        }

        var first = await _api.Validator.ValidateAsync(token.AsMemory());
        first.Principal!.AddIdentity(new System.Security.Claims.ClaimsIdentity([new System.Security.Claims.Claim("role", "admin")]));
        ((System.Security.Claims.ClaimsIdentity)first.Principal.Identity!).AddClaim(new System.Security.Claims.Claim("scope", "admin"));

        var second = await _api.Validator.ValidateAsync(token.AsMemory());
        Assert.Single(second.Principal!.Identities);
        Assert.DoesNotContain(second.Principal.Claims, c => c.Value == "admin");
    }
}
