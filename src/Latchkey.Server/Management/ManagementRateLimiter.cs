using System.Globalization;
using System.Threading.RateLimiting;
using Latchkey.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Management;

/// <summary>
/// A token bucket per caller (<c>sub</c>), checked before every <c>/api/v2</c> handler. Every answer carries Auth0's
/// <c>x-ratelimit-limit</c>, <c>x-ratelimit-remaining</c> and <c>x-ratelimit-reset</c> (UNIX seconds when the bucket
/// is full again); an empty bucket answers 429 <c>too_many_requests</c> with <c>Retry-After</c>. Buckets live in this
/// node's memory: on a cluster each node allows the rate (Auth0 documents its limits per tenant, not per node).
/// </summary>
internal sealed class ManagementRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string>? _limiter;
    private readonly ManagementOptions _options;
    private readonly TimeProvider _time;

    public ManagementRateLimiter(IOptions<LatchkeyOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value.Management;
        _time = time;
        if (_options.RateLimitPerMinute == 0)
        {
            return;
        }

        var bucket = RateLimit.TokenBucket(_options.RateLimitPerMinute, _options.RateLimitBurst);
        _limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => bucket));
    }

    /// <summary>The endpoint filter of the <c>/api/v2</c> group.</summary>
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (_limiter is null)
        {
            return next(context);
        }

        var key = ManagementCaller.From(context.HttpContext.User).Subject;
        using var lease = _limiter.AttemptAcquire(key);
        var remaining = _limiter.GetStatistics(key)?.CurrentAvailablePermits ?? 0;
        var headers = context.HttpContext.Response.Headers;
        var secondsToFull = (int)Math.Ceiling((_options.RateLimitBurst - remaining) * 60.0 / _options.RateLimitPerMinute);
        headers["x-ratelimit-limit"] = _options.RateLimitBurst.ToString(CultureInfo.InvariantCulture);
        headers["x-ratelimit-remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
        headers["x-ratelimit-reset"] = _time.GetUtcNow().AddSeconds(secondsToFull).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        if (!lease.IsAcquired)
        {
            return ValueTask.FromResult<object?>(ManagementErrors.TooManyRequests(RateLimit.RetryAfter(lease)));
        }

        return next(context);
    }

    public void Dispose() => _limiter?.Dispose();
}
