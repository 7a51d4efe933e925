using System.Collections.Concurrent;

namespace Latchkey.Server.Actions;

/// <summary>
/// <c>api.cache</c>: a small store per Action that survives between executions on this node (Auth0's cache is also
/// best-effort). Bounded: <see cref="MaxEntries"/> keys per Action, keys and values of limited length, expiry by
/// <c>ttl</c> (milliseconds) or <c>expires_at</c> (epoch milliseconds), at most <see cref="MaxTtl"/>.
/// </summary>
internal sealed class ActionCache(TimeProvider time)
{
    public const int MaxEntries = 50;
    public const int MaxKeyLength = 256;
    public const int MaxValueLength = 4096;
    public static readonly TimeSpan DefaultTtl = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan MaxTtl = TimeSpan.FromHours(24);

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, Entry>> _actions = new(StringComparer.Ordinal);

    public Entry? Get(string actionId, string key)
    {
        if (!_actions.TryGetValue(actionId, out var entries) || !entries.TryGetValue(key, out var entry))
        {
            return null;
        }

        if (entry.ExpiresAt > time.GetUtcNow())
        {
            return entry;
        }

        entries.TryRemove(key, out _);
        return null;
    }

    /// <summary>Stores the value; returns Auth0's error code when it cannot (<c>invalid_key</c>, <c>invalid_value</c>, <c>cache_full</c>).</summary>
    public string? Set(string actionId, string key, string value, DateTimeOffset? expiresAt)
    {
        if (key.Length is 0 or > MaxKeyLength)
        {
            return "invalid_key";
        }

        if (value.Length > MaxValueLength)
        {
            return "invalid_value";
        }

        var now = time.GetUtcNow();
        var expiry = expiresAt ?? now + DefaultTtl;
        if (expiry > now + MaxTtl)
        {
            expiry = now + MaxTtl;
        }

        var entries = _actions.GetOrAdd(actionId, _ => new ConcurrentDictionary<string, Entry>(StringComparer.Ordinal));
        if (!entries.ContainsKey(key) && entries.Count >= MaxEntries)
        {
            foreach (var expired in entries.Where(e => e.Value.ExpiresAt <= now).Select(e => e.Key).ToList())
            {
                entries.TryRemove(expired, out _);
            }

            if (entries.Count >= MaxEntries)
            {
                return "cache_full";
            }
        }

        entries[key] = new Entry(value, expiry);
        return null;
    }

    public void Delete(string actionId, string key)
    {
        if (_actions.TryGetValue(actionId, out var entries))
        {
            entries.TryRemove(key, out _);
        }
    }

    internal sealed record Entry(string Value, DateTimeOffset ExpiresAt);
}
