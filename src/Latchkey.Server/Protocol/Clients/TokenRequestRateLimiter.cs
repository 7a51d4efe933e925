using System.Net;
using System.Threading.RateLimiting;
using Latchkey.Server.AttackProtection;
using Latchkey.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Protocol.Clients;

/// <summary>
/// <c>Latchkey:RateLimits:Token</c>: a token bucket per Application at <c>/oauth/token</c>, checked once the client is
/// authenticated (<see cref="LimitTokenRequestRate"/>). An authenticated confidential Application is keyed by its
/// <c>client_id</c> alone (a string the request already carries: no allocation on the machine-to-machine path); a
/// public Application's <c>client_id</c> is public, so it is keyed with the client address too, and nobody can spend
/// another user's bucket. Same library as ASP.NET Core's rate limiting, whose middleware cannot serve here: OpenIddict
/// answers the token endpoint inside the authentication middleware, and the <c>client_id</c> is only known once the
/// body is read. Per node and in memory.
/// </summary>
internal sealed class TokenRequestRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<(string ClientId, string? Address)>? _limiter;

    public TokenRequestRateLimiter(IOptions<LatchkeyOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var limit = options.Value.RateLimits.Token;
        if (limit.IsOn)
        {
            // One factory for every partition: the partitioner then allocates nothing per request.
            var bucket = limit.ToTokenBucket();
            Func<(string ClientId, string? Address), RateLimiter> factory = _ => new TokenBucketRateLimiter(bucket);
            _limiter = PartitionedRateLimiter.Create<(string ClientId, string? Address), (string ClientId, string? Address)>(key =>
                new RateLimitPartition<(string ClientId, string? Address)>(key, factory));
        }
    }

    /// <summary>True when the request may proceed; otherwise <paramref name="retryAfter"/> says when to try again.</summary>
    public bool TryAcquire(string clientId, bool authenticated, IPAddress? address, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (_limiter is null)
        {
            return true;
        }

        using var lease = _limiter.AttemptAcquire((clientId, authenticated ? null : LoginThrottleService.KeyFor(address)));
        if (lease.IsAcquired)
        {
            return true;
        }

        retryAfter = RateLimit.RetryAfter(lease);
        return false;
    }

    public void Dispose() => _limiter?.Dispose();
}
