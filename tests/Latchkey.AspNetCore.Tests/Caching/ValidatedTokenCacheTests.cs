using System.Runtime.InteropServices;
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
    public void Add_FullWithAnEntryExpiringExactlyNow_CompactionDropsItAsExpired()
    {
        // An entry is expired at its exp tick (TryGet's rule): compaction's first pass removes it, so the second pass
        // (a quarter of a full cache) has one entry fewer to drop. If the expired pass missed it, four entries remain.
        var cache = new ValidatedTokenCache(maxEntries: 4, maxBytes: long.MaxValue);
        cache.Add(Hash("expiring"), Entry(expires: Now), Now - 1);
        cache.Add(Hash("b"), Entry(), Now - 1);
        cache.Add(Hash("c"), Entry(), Now - 1);
        cache.Add(Hash("d"), Entry(), Now - 1);

        cache.Add(Hash("new"), Entry(), Now);

        Assert.Equal(3, cache.Count);
        Assert.False(cache.TryGet(Hash("expiring"), Now - 1, out _));
        Assert.True(cache.TryGet(Hash("new"), Now, out _));
    }

    [Theory]
    [InlineData(0, long.MaxValue, 100, 1)]
    [InlineData(100, 1_000, 1_001, 1)]
    [InlineData(100, long.MaxValue, 100, 0)]
    public void Add_NotCached_EntryMarkedRemoved(int maxEntries, long maxBytes, long bytes, long expiresInTicks)
    {
        // A request keeps its entry in the connection memo: an entry the cache refused must say so, or the memo would
        // keep accepting the token after its key leaves the JWKS (nothing would ever mark it removed).
        var cache = new ValidatedTokenCache(maxEntries, maxBytes);
        var entry = Entry(bytes: bytes, expires: Now + expiresInTicks);

        cache.Add(Hash("t"), entry, Now);

        Assert.True(entry.Removed);
        Assert.Equal(0, cache.Count);
        Assert.Equal(0, cache.Bytes);
    }

    [Fact]
    public void Add_AtExactlyTheByteLimit_Cached()
    {
        var cache = new ValidatedTokenCache(100, 1_000);
        var entry = Entry(bytes: 1_000);

        cache.Add(Hash("t"), entry, Now);

        Assert.False(entry.Removed);
        Assert.Equal(1_000, cache.Bytes);
    }

    [Fact]
    public void Add_SameTokenTwice_FirstStaysLiveSecondMarkedRemoved()
    {
        var cache = new ValidatedTokenCache(100, long.MaxValue);
        var first = Entry();
        var second = Entry();

        cache.Add(Hash("t"), first, Now);
        cache.Add(Hash("t"), second, Now);

        Assert.False(first.Removed);
        Assert.True(second.Removed);
        Assert.True(cache.TryGet(Hash("t"), Now, out var live));
        Assert.Same(first, live);
        Assert.Equal(100, cache.Bytes);
    }

    [Fact]
    public void RetainKeys_KeyRemoved_EntryMarkedRemovedAndBytesReleased()
    {
        var cache = new ValidatedTokenCache(100, long.MaxValue);
        var entry = Entry(kid: "k1");
        cache.Add(Hash("a"), entry, Now);

        cache.RetainKeys(new HashSet<string> { "k2" });

        Assert.True(entry.Removed);
        Assert.Equal(0, cache.Bytes);
    }

    [Fact]
    public void RetainKeys_EntryWithoutKid_Dropped()
    {
        var cache = new ValidatedTokenCache(100, long.MaxValue);
        var entry = new CachedToken([new Claim("sub", "x")], "test", "sub", "roles", Now + TimeSpan.TicksPerHour, null, 100);
        cache.Add(Hash("a"), entry, Now);

        cache.RetainKeys(new HashSet<string> { "k1" });

        Assert.True(entry.Removed);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Compact_FullOfExpiredEntries_DropsTheExpiredFirst()
    {
        var cache = new ValidatedTokenCache(maxEntries: 4, maxBytes: long.MaxValue);
        var expiring = Enumerable.Range(0, 3).Select(_ => Entry(expires: Now + TimeSpan.TicksPerSecond)).ToList();
        var lasting = Entry();
        for (var i = 0; i < 3; i++)
        {
            cache.Add(Hash($"expiring-{i}"), expiring[i], Now);
        }

        cache.Add(Hash("lasting"), lasting, Now);
        var later = Now + (2 * TimeSpan.TicksPerSecond);
        cache.Add(Hash("new"), Entry(), later);

        Assert.All(expiring, e => Assert.True(e.Removed));
        Assert.False(lasting.Removed);
        Assert.Equal(2, cache.Count);
        Assert.Equal(200, cache.Bytes);
    }

    [Fact]
    public void TokenHash_DiffersInOneCharacter_DifferentKeys()
    {
        Assert.NotEqual(Hash("abc.def.ghi"), Hash("abc.def.ghj"));
        Assert.Equal(Hash("abc.def.ghi"), Hash("abc.def.ghi"));
        Assert.False(TokenHash.TryCompute("abcé", out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void TokenHash_DigestsDifferingInOne64BitWord_NotEqual(int word)
    {
        // Equality is over all 256 bits of the SHA-256 (the cache hands a token's claims to any token that compares
        // equal): two digests that agree on the other three words must still differ.
        ulong[] digest = [0x0123456789abcdef, 0xfedcba9876543210, 0x1111111111111111, 0x2222222222222222];
        ulong[] other = [.. digest];
        other[word] ^= 1;
        var a = MemoryMarshal.Read<TokenHash>(MemoryMarshal.AsBytes(digest.AsSpan()));
        var b = MemoryMarshal.Read<TokenHash>(MemoryMarshal.AsBytes(other.AsSpan()));
        var same = MemoryMarshal.Read<TokenHash>(MemoryMarshal.AsBytes(((ulong[])[.. digest]).AsSpan()));

        Assert.False(a.Equals(b));
        Assert.False(a == b);
        Assert.True(a != b);
        Assert.False(a.Equals((object)b));
        Assert.True(a.Equals(same));
        Assert.True(a == same);
        Assert.False(a != same);
        Assert.True(a.Equals((object)same));
        Assert.False(a.Equals("not a hash"));
    }

    [Fact]
    public void TokenHash_LongerThanTheStackBuffer_HashedWhole()
    {
        var prefix = new string('a', 5_000);
        Assert.Equal(Hash(prefix + "b"), Hash(prefix + "b"));
        Assert.NotEqual(Hash(prefix + "b"), Hash(prefix + "c"));
        Assert.False(TokenHash.TryCompute(prefix + "é", out _));
    }

    private static TokenHash Hash(string token)
    {
        Assert.True(TokenHash.TryCompute(token, out var hash));
        return hash;
    }

    private static CachedToken Entry(long bytes = 100, long? expires = null, string kid = "k1") =>
        new([new Claim("sub", "x")], "test", "sub", "roles", expires ?? Now + TimeSpan.TicksPerHour, kid, bytes);
}
