using System.Net;
using System.Threading.RateLimiting;
using Latchkey.Server.AttackProtection;

namespace Latchkey.Server.Protocol.Clients;

/// <summary>
/// Failed client authentications (a wrong <c>client_secret</c>) are limited per Application and client address:
/// after <see cref="FailuresPerWindow"/> failures in <see cref="Window"/>, that pair's attempts are refused without
/// checking the secret (<c>429</c>, <c>Retry-After</c>) until the window ends. Successful authentications are not
/// counted, so a busy machine-to-machine client is never slowed. Counters are per node and in memory: this bounds
/// guessing and wasted work, not a distributed attacker (see docs/security.md). Addresses are keyed like the login
/// throttle's (<see cref="LoginThrottleService.KeyFor"/>: IPv6 by /64).
/// </summary>
internal sealed class ClientAuthenticationThrottle : IDisposable
{
    public const int FailuresPerWindow = 10;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    // System.Threading.RateLimiting: one fixed window per (client, address); idle partitions are dropped by the limiter.
    private readonly PartitionedRateLimiter<(string ClientId, string Address)> _failures =
        PartitionedRateLimiter.Create<(string ClientId, string Address), (string ClientId, string Address)>(key =>
            RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = FailuresPerWindow,
                Window = Window,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));

    /// <summary>True when the secret may be checked; otherwise <paramref name="retryAfter"/> says when to try again.</summary>
    public bool MayAttempt(string clientId, IPAddress? address, out TimeSpan retryAfter)
    {
        // Zero permits: asks whether any are left, consumes nothing.
        using var lease = _failures.AttemptAcquire((clientId, LoginThrottleService.KeyFor(address)), 0);
        retryAfter = lease.IsAcquired ? TimeSpan.Zero : lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : Window;
        return lease.IsAcquired;
    }

    public void RecordFailure(string clientId, IPAddress? address)
    {
        using var lease = _failures.AttemptAcquire((clientId, LoginThrottleService.KeyFor(address)), 1);
    }

    public void Dispose() => _failures.Dispose();
}
