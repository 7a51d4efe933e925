using System.Net;
using System.Net.Sockets;
using Latchkey.Server.Hosting;
using Latchkey.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.AttackProtection;

/// <summary>
/// Auth0's brute-force protection: after <see cref="LoginOptions.MaxFailedAttempts"/> consecutive failed logins for one user from one
/// IP, that (user, IP) pair is blocked — even with the right password — until a successful password reset or an
/// administrator lifts it. Other IPs are unaffected, so an attacker cannot lock the victim out (BF-4).
/// An attempt is reserved atomically in the database <em>before</em> the password is checked, so parallel requests,
/// even on several nodes, cannot verify more than <see cref="LoginOptions.MaxFailedAttempts"/> guesses (BF-3).
/// The per-IP limits are Auth0's suspicious-IP throttling (BF-6). Every number is a <c>Latchkey:Login</c> setting.
/// </summary>
internal sealed class LoginThrottleService(LatchkeyDbContext db, IOptions<LatchkeyOptions> options, TimeProvider time)
{
    private readonly LoginOptions _limits = options.Value.Login;

    // Counter rows that are not about one account use a subject no email can have (emails contain '@').
    private const string IpFailuresSubject = "#ip-failures";
    private const string SignUpsSubject = "#signups";
    private const string AccountMailSubject = "#mail:";
    private const string AnyAddress = "*";

    /// <summary>
    /// Passes of <see cref="TryCountAsync"/>: a pass is lost only to another request's insert or a successful login's
    /// reset in between; past this many the event is refused (fail closed), never left uncounted.
    /// </summary>
    private const int MaxCountAttempts = 5;

    /// <summary>Counts one attempt for (subject, ip); false when the pair is blocked and the password must not be checked.</summary>
    public Task<bool> TryReserveAttemptAsync(string subject, string ipAddress, CancellationToken cancellationToken = default) =>
        TryCountAsync(subject, ipAddress, _limits.MaxFailedAttempts, window: null, cancellationToken);

    /// <summary>True when this IP has failed too many logins today, across all accounts; then no password is checked.</summary>
    public Task<bool> IsIpThrottledAsync(string ipAddress, CancellationToken cancellationToken = default)
    {
        var windowStart = time.GetUtcNow() - TimeSpan.FromDays(1);
        return db.Set<LoginThrottle>().AnyAsync(
            t => t.Subject == IpFailuresSubject && t.IpAddress == ipAddress && t.FailedCount >= _limits.MaxFailedAttemptsPerIpPerDay && t.FirstFailureAt > windowStart,
            cancellationToken);
    }

    /// <summary>Counts one failed login for the IP (any account).</summary>
    public Task RecordIpFailureAsync(string ipAddress, CancellationToken cancellationToken = default) =>
        TryCountAsync(IpFailuresSubject, ipAddress, int.MaxValue, TimeSpan.FromDays(1), cancellationToken);

    /// <summary>Counts one sign-up for the IP; false when the IP has reached the per-minute limit.</summary>
    public Task<bool> TryCountSignUpAsync(string ipAddress, CancellationToken cancellationToken = default) =>
        TryCountAsync(SignUpsSubject, ipAddress, _limits.MaxSignUpsPerIpPerMinute, TimeSpan.FromMinutes(1), cancellationToken);

    /// <summary>
    /// Counts one request that sends account mail (a password reset, an API sign-up's verification) against the IP's
    /// and the address's hourly limits (<c>Latchkey:Email:MaxRequestsPer…</c>); false when either is reached. Counted
    /// for unknown addresses too, so the limit reveals nothing about which addresses have accounts.
    /// </summary>
    public async Task<bool> TryCountAccountMailAsync(string normalizedEmail, string ipAddress, CancellationToken cancellationToken = default)
    {
        var email = options.Value.Email;
        return await TryCountAsync(AccountMailSubject, ipAddress, email.MaxRequestsPerIpPerHour, TimeSpan.FromHours(1), cancellationToken)
            && await TryCountAsync(AccountMailSubject + normalizedEmail, AnyAddress, email.MaxRequestsPerEmailPerHour, TimeSpan.FromHours(1), cancellationToken);
    }

    /// <summary>
    /// Counts one event for (subject, ip) unless <paramref name="limit"/> is reached; false then. The increment is one
    /// conditional UPDATE, so parallel requests (on any node) cannot overshoot the limit. With a
    /// <paramref name="window"/>, a fixed-window counter: a window older than that starts again at zero.
    /// </summary>
    private async Task<bool> TryCountAsync(string subject, string ipAddress, int limit, TimeSpan? window, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxCountAttempts; attempt++)
        {
            var now = time.GetUtcNow();
            if (window is { } length)
            {
                var windowStart = now - length;
                await db.Set<LoginThrottle>()
                    .Where(t => t.Subject == subject && t.IpAddress == ipAddress && t.FirstFailureAt <= windowStart)
                    .ExecuteUpdateAsync(u => u.SetProperty(t => t.FailedCount, 0).SetProperty(t => t.FirstFailureAt, now), cancellationToken);
            }

            var counted = await db.Set<LoginThrottle>()
                .Where(t => t.Subject == subject && t.IpAddress == ipAddress && t.FailedCount < limit)
                .ExecuteUpdateAsync(u => u.SetProperty(t => t.FailedCount, t => t.FailedCount + 1).SetProperty(t => t.LastFailureAt, now), cancellationToken);
            if (counted == 1)
            {
                return true;
            }

            // No row was under the limit: either the pair is blocked, or there was no row when the UPDATE ran and another
            // request has inserted one since (count against it on the next pass), or there is none.
            var existing = await db.Set<LoginThrottle>().Where(t => t.Subject == subject && t.IpAddress == ipAddress)
                .Select(t => (int?)t.FailedCount).FirstOrDefaultAsync(cancellationToken);
            if (existing is { } count)
            {
                if (count >= limit)
                {
                    return false;
                }

                continue;
            }

            var row = new LoginThrottle { Subject = subject, IpAddress = ipAddress, FailedCount = 1, FirstFailureAt = now, LastFailureAt = now };
            db.Add(row);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return true;
            }
            catch (DbUpdateException)
            {
                // Another request inserted the row first; count against it instead.
                db.Entry(row).State = EntityState.Detached;
            }
        }

        return false;
    }

    /// <summary>A successful login resets the counter for that pair (Auth0 counts consecutive failures).</summary>
    public Task ResetAsync(string subject, string ipAddress, CancellationToken cancellationToken = default) =>
        db.Set<LoginThrottle>().Where(t => t.Subject == subject && t.IpAddress == ipAddress).ExecuteDeleteAsync(cancellationToken);

    public Task<bool> IsBlockedAsync(string subject, string ipAddress, CancellationToken cancellationToken = default) =>
        db.Set<LoginThrottle>().AnyAsync(t => t.Subject == subject && t.IpAddress == ipAddress && t.FailedCount >= _limits.MaxFailedAttempts, cancellationToken);

    /// <summary>The blocked addresses for a subject (Management API <c>GET /api/v2/user-blocks</c>).</summary>
    public Task<List<LoginThrottle>> GetBlocksAsync(string subject, CancellationToken cancellationToken = default) =>
        db.Set<LoginThrottle>().AsNoTracking().Where(t => t.Subject == subject && t.FailedCount >= _limits.MaxFailedAttempts).ToListAsync(cancellationToken);

    /// <summary>
    /// Lifts every block and clears every counter for a subject: called by an administrator (Management API
    /// <c>DELETE /api/v2/user-blocks/{id}</c>) and after a successful password reset. Returns the rows removed.
    /// </summary>
    public Task<int> UnblockAsync(string subject, CancellationToken cancellationToken = default) =>
        db.Set<LoginThrottle>().Where(t => t.Subject == subject).ExecuteDeleteAsync(cancellationToken);

    /// <summary>
    /// The address a block applies to. IPv4-mapped IPv6 becomes IPv4; other IPv6 addresses are cut to their /64,
    /// because one host usually owns a whole /64 and could otherwise rotate addresses to evade the limit.
    /// </summary>
    public static string KeyFor(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            return new IPAddress(bytes) + "/64";
        }

        return address.ToString();
    }
}
