using System.Security.Claims;
using Latchkey.AspNetCore.Caching;

namespace Latchkey.AspNetCore.Tests.Caching;

public sealed class ValidatedTokenCacheTests
{
    private static readonly long Now = DateTimeOffset.UtcNow.UtcTicks;

    [Fact]
    public void Add_BeyondEntryLimit_StaysWithinLimit()
    {
        var cache = new ValidatedTokenCache(maxEntries: 100, maxBytes: long.MaxValue);
        for (var i = 0; i < 1000; i++)
        {
            cache.Add(Hash($"token-{i}"), Entry(bytes: 10), Now);
            Assert.True(cache.Count <= 100);
        }

        Assert.True(cache.Count > 50);
    }

    [Fact]
    public void Add_BeyondByteLimit_StaysWithinLimit()
    {
        var cache = new ValidatedTokenCache(maxEntries: 10_000, maxBytes: 100_000);
        for (var i = 0; i < 1000; i++)
        {
            cache.Add(Hash($"token-{i}"), Entry(bytes: 1_000), Now);
            Assert.True(cache.Bytes <= 100_000);
        }
    }

    [Fact]
    public void TryGet_AtOrAfterExpiry_MissesAndRemoves()
    {
        var cache = new ValidatedTokenCache(100, long.MaxValue);
        var key = Hash("t");
        cache.Add(key, Entry(expires: Now + TimeSpan.TicksPerSecond), Now);
        Assert.True(cache.TryGet(key, Now, out _));
        Assert.False(cache.TryGet(key, Now + TimeSpan.TicksPerSecond, out _));
        Assert.Equal(0, cache.Count);
        Assert.Equal(0, cache.Bytes);
    }

    [Fact]
    public void Add_AlreadyExpired_NotCached()
    {
        var cache = new ValidatedTokenCache(100, long.MaxValue);
        cache.Add(Hash("t"), Entry(expires: Now), Now);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void RetainKeys_KeyRemoved_DropsItsEntriesOnly()
    {
        var cache = new ValidatedTokenCache(100, long.MaxValue);
        cache.Add(Hash("a"), Entry(kid: "k1"), Now);
        cache.Add(Hash("b"), Entry(kid: "k2"), Now);
        cache.RetainKeys(new HashSet<string> { "k2" });
        Assert.False(cache.TryGet(Hash("a"), Now, out _));
        Assert.True(cache.TryGet(Hash("b"), Now, out _));
    }

    [Fact]
    public void TokenHash_DiffersInOneCharacter_DifferentKeys()
    {
        Assert.NotEqual(Hash("abc.def.ghi"), Hash("abc.def.ghj"));
        Assert.Equal(Hash("abc.def.ghi"), Hash("abc.def.ghi"));
        Assert.False(TokenHash.TryCompute("abcé", out _));
    }

    private static TokenHash Hash(string token)
    {
        Assert.True(TokenHash.TryCompute(token, out var hash));
        return hash;
    }

    private static CachedToken Entry(long bytes = 100, long? expires = null, string kid = "k1") =>
        new([new Claim("sub", "x")], "test", "sub", "roles", expires ?? Now + TimeSpan.TicksPerHour, kid, bytes);
}
