using System.Net;
using Latchkey.AspNetCore.Tests.Infrastructure;

namespace Latchkey.AspNetCore.Tests.Validation;

/// <summary>JWKS fetching: rotation answered in the same request, refreshes rate-bounded, retired keys dropped from the cache.</summary>
public sealed class KeyRotationTests : IAsyncLifetime
{
    private TestAuthority _authority = null!;
    private ProtectedApi _api = null!;

    public async Task InitializeAsync()
    {
        _authority = await TestAuthority.StartAsync();
        _api = await ProtectedApi.StartAsync(_authority, o =>
        {
            o.UnknownKeyRefreshInterval = TimeSpan.FromSeconds(30);
            o.MetadataRefreshInterval = TimeSpan.FromMinutes(10);
        });
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _authority.DisposeAsync();
    }

    [Fact]
    public async Task UnknownKid_NewKeyPublished_AcceptedOnFirstRequestAfterOneRefresh()
    {
        using (var first = await _api.GetAsync("private", _authority.Mint()))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        Assert.Equal(1, _authority.JwksFetches);
        var next = SigningKey.Rsa("key-2");
        _authority.Publish(_authority.Key, next);

        using var rotated = await _api.GetAsync("private", _authority.Mint(key: next));
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        Assert.Equal(2, _authority.JwksFetches);
    }

    [Fact]
    public async Task UnknownKid_ManyGarbageKids_AtMostOneFetchPerInterval()
    {
        using (var warm = await _api.GetAsync("private", _authority.Mint()))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        var attacker = SigningKey.Rsa("unused");
        for (var i = 0; i < 25; i++)
        {
            using var response = await _api.GetAsync("private", _authority.Mint(header: h => h["kid"] = $"garbage-{i}", key: attacker));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.Equal(2, _authority.JwksFetches);

        _authority.Clock.Advance(TimeSpan.FromSeconds(31));
        for (var i = 0; i < 5; i++)
        {
            using var response = await _api.GetAsync("private", _authority.Mint(header: h => h["kid"] = $"more-garbage-{i}", key: attacker));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.Equal(3, _authority.JwksFetches);
    }

    [Fact]
    public async Task RetiredKey_LeavesJwks_CachedTokenRefusedAfterRefresh()
    {
        var token = _authority.Mint();
        using (var ok = await _api.GetAsync("private", token))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        Assert.Equal(1, _api.Validator.Cache.Count);
        _authority.Publish(SigningKey.Rsa("key-2"));
        _authority.Clock.Advance(TimeSpan.FromMinutes(11));

        // The first request after the refresh interval starts a background refresh; the cache drops key-1's entries.
        using (await _api.GetAsync("private", token))
        {
        }

        await WaitUntil(() => _authority.JwksFetches == 2 && _api.Validator.Cache.Count == 0);
        using var refused = await _api.GetAsync("private", token);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task ValidToken_RepeatedRequests_SignatureValidatedOnceAndCached()
    {
        var token = _authority.Mint();
        for (var i = 0; i < 5; i++)
        {
            using var response = await _api.GetAsync("private", token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(1, _api.Validator.Cache.Count);
        Assert.Equal(1, _authority.JwksFetches);
        Assert.Equal(1, _authority.Hits("/.well-known/openid-configuration"));
    }

    [Theory]
    [InlineData("PS256")]
    [InlineData("ES256")]
    public async Task AllowListedAlgorithm_PublishedKey_Returns200(string algorithm)
    {
        var key = algorithm == "ES256" ? SigningKey.Ec("ec-1") : SigningKey.Rsa("ps-1", "PS256");
        _authority.Publish(_authority.Key, key);
        using var response = await _api.GetAsync("private", _authority.Mint(key: key));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        // Wide margin: the background refresh competes with other builds on a shared machine.
        for (var i = 0; i < 3000 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
