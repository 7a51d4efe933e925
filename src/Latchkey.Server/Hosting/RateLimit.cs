using System.Globalization;
using System.Threading.RateLimiting;

namespace Latchkey.Server.Hosting;

/// <summary>
/// One request-rate limit: a token bucket of <see cref="Burst"/> requests, refilled at <see cref="PerMinute"/> (Auth0
/// describes its own limits the same way: a burst and a sustained rate). <see cref="PerMinute"/> 0 turns it off.
/// The bucket arithmetic and the <c>Retry-After</c> value live here, so every limited surface (the Management API,
/// <c>/oauth/token</c>, the login pages, <c>/dbconnections</c>) answers the same way.
/// </summary>
public sealed class RateLimit
{
    /// <summary>Requests per minute on average, per node and per partition (address, Application or caller); 0: no limit.</summary>
    public int PerMinute { get; set; }

    /// <summary>Requests one partition may make at once before the per-minute rate applies.</summary>
    public int Burst { get; set; }

    internal bool IsOn => PerMinute > 0;

    internal TokenBucketRateLimiterOptions ToTokenBucket() => TokenBucket(PerMinute, Burst);

    /// <summary>Refills smoothly: every second when the rate allows it, else one token per 60/rate seconds. No queue: over the limit is refused at once.</summary>
    internal static TokenBucketRateLimiterOptions TokenBucket(int perMinute, int burst)
    {
        var (period, tokens) = perMinute >= 60 ? (TimeSpan.FromSeconds(1), perMinute / 60) : (TimeSpan.FromMinutes(1) / perMinute, 1);
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }

    /// <summary>How long a refused lease says to wait (one second when it does not say).</summary>
    internal static TimeSpan RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);

    /// <summary><c>Retry-After</c> in whole seconds, at least 1 (RFC 9110 §10.2.3: delay-seconds).</summary>
    internal static string RetryAfterHeader(TimeSpan wait) =>
        Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
