using System.Collections.Concurrent;

namespace Latchkey.AspNetCore.Caching;

/// <summary>
/// Bounded cache of validated tokens, keyed by <see cref="TokenHash"/>. Bounded twice: by entry count and by an
/// estimate of the memory the claims take. Entries never outlive the token's <c>exp</c>, and are dropped when their
/// signing key leaves the JWKS. Reads take no lock and allocate nothing.
/// </summary>
internal sealed class ValidatedTokenCache
{
    private readonly ConcurrentDictionary<TokenHash, CachedToken> _entries = new();
    private readonly int _maxEntries;
    private readonly long _maxBytes;
    private readonly Lock _compaction = new();
    private long _bytes;

    public ValidatedTokenCache(int maxEntries, long maxBytes)
    {
        _maxEntries = maxEntries;
        _maxBytes = maxBytes;
    }

    public int Count => _entries.Count;

    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Rough size of a cached identity: the token text twice (decoded claim strings, UTF-16) plus object overhead.</summary>
    public static long EstimateBytes(int tokenLength, int claimCount) => (tokenLength * 2L) + (claimCount * 96L) + 512;

    public bool TryGet(in TokenHash key, long nowUtcTicks, out CachedToken? token)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            if (entry.ExpiresUtcTicks > nowUtcTicks)
            {
                token = entry;
                return true;
            }

            Remove(key, entry);
        }

        token = null;
        return false;
    }

    public void Add(in TokenHash key, CachedToken entry, long nowUtcTicks)
    {
        if (_maxEntries <= 0 || entry.Bytes > _maxBytes || entry.ExpiresUtcTicks <= nowUtcTicks)
        {
            entry.MarkRemoved(); // never cached: nobody may reuse it
            return;
        }

        if (_entries.Count >= _maxEntries || Interlocked.Read(ref _bytes) + entry.Bytes > _maxBytes)
        {
            Compact(nowUtcTicks, entry.Bytes);
        }

        if (_entries.TryAdd(key, entry))
        {
            Interlocked.Add(ref _bytes, entry.Bytes);
        }
        else
        {
            entry.MarkRemoved(); // another request cached the same token first; that entry is the live one
        }
    }

    /// <summary>Drops every entry signed by a key that is no longer published (rotation, revocation of a key).</summary>
    public void RetainKeys(IReadOnlySet<string> keyIds)
    {
        foreach (var (key, entry) in _entries)
        {
            if (entry.KeyId is null || !keyIds.Contains(entry.KeyId))
            {
                Remove(key, entry);
            }
        }
    }

    /// <summary>First expired entries; if still over a bound, about a quarter of the rest (arbitrary order, O(n) rarely).</summary>
    private void Compact(long nowUtcTicks, long incomingBytes)
    {
        lock (_compaction)
        {
            if (_entries.Count < _maxEntries && Interlocked.Read(ref _bytes) + incomingBytes <= _maxBytes)
            {
                return;
            }

            foreach (var (key, entry) in _entries)
            {
                if (entry.ExpiresUtcTicks <= nowUtcTicks)
                {
                    Remove(key, entry);
                }
            }

            var toDrop = _entries.Count >= _maxEntries * 3 / 4 ? Math.Max(1, _entries.Count / 4) : 0;
            foreach (var (key, entry) in _entries)
            {
                if (toDrop <= 0 && Interlocked.Read(ref _bytes) + incomingBytes <= _maxBytes * 3 / 4)
                {
                    break;
                }

                Remove(key, entry);
                toDrop--;
            }
        }
    }

    private void Remove(in TokenHash key, CachedToken entry)
    {
        if (_entries.TryRemove(new KeyValuePair<TokenHash, CachedToken>(key, entry)))
        {
            entry.MarkRemoved();
            Interlocked.Add(ref _bytes, -entry.Bytes);
        }
    }
}
