using System.Threading.RateLimiting;
using Latchkey.Server.AttackProtection;
using Latchkey.Server.Hosting;
using Microsoft.AspNetCore.RateLimiting;

namespace Latchkey.Server.Operations;

/// <summary>
/// An ASP.NET Core rate-limiting policy with one token bucket per client address (keyed like the login throttle,
/// <see cref="LoginThrottleService.KeyFor"/>: IPv6 by /64). Over the limit the feature that owns the endpoint writes
/// its own error shape through <paramref name="reject"/>, after <c>Retry-After</c> is set here.
/// </summary>
internal sealed class AddressRateLimitPolicy(RateLimit limit, Func<HttpContext, Task> reject) : IRateLimiterPolicy<string>
{
    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = async (context, _) =>
    {
        context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.HttpContext.Response.Headers.RetryAfter = RateLimit.RetryAfterHeader(RateLimit.RetryAfter(context.Lease));
        await reject(context.HttpContext);
    };

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) => limit.IsOn
        ? RateLimitPartition.GetTokenBucketLimiter(LoginThrottleService.KeyFor(httpContext.Connection.RemoteIpAddress), _ => limit.ToTokenBucket())
        : RateLimitPartition.GetNoLimiter(string.Empty);
}
