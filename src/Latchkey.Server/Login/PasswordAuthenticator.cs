using Latchkey.Server.AttackProtection;
using Latchkey.Server.Operations;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tenants;
using Latchkey.Server.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Login;

/// <summary>
/// Checks an email and password: brute-force throttle first, then the password hash, with the same work done for
/// an unknown email (a dummy hash is verified) so neither the answer nor its timing tells whether the email exists.
/// A hash made with weaker settings is upgraded transparently on success.
/// </summary>
internal sealed class PasswordAuthenticator(
    LatchkeyDbContext db,
    IPasswordHasher<User> hasher,
    IOptions<PasswordHasherOptions> hasherOptions,
    LoginThrottleService throttle,
    TenantCache tenants,
    LatchkeyMetrics metrics,
    TimeProvider time)
{
    private static readonly User DummyUser = new() { UserId = "latchkey|dummy", Email = "dummy@invalid", NormalizedEmail = "DUMMY@INVALID" };
    private static string? s_dummyHash;

    public async Task<PasswordAuthenticationResult> AuthenticateAsync(string email, string password, string ipAddress, CancellationToken cancellationToken = default)
    {
        var result = await CheckAsync(email, password, ipAddress, cancellationToken);
        metrics.Login(result.Outcome switch
        {
            PasswordAuthenticationOutcome.Success => "success",
            PasswordAuthenticationOutcome.Throttled => "throttled",
            PasswordAuthenticationOutcome.UserBlocked => "user_blocked",
            _ => "invalid_credentials",
        });
        return result;
    }

    private async Task<PasswordAuthenticationResult> CheckAsync(string email, string password, string ipAddress, CancellationToken cancellationToken)
    {
        var subject = EmailAddress.Normalize(email);

        // The (user, IP) block is the database connection's brute_force_protection (Auth0); the per-IP throttle is
        // tenant-wide and always on.
        var bruteForceProtection = (await tenants.GetAsync(cancellationToken)).Connection.BruteForceProtection;
        if (await throttle.IsIpThrottledAsync(ipAddress, cancellationToken)
            || (bruteForceProtection && !await throttle.TryReserveAttemptAsync(subject, ipAddress, cancellationToken)))
        {
            return new(PasswordAuthenticationOutcome.Throttled);
        }

        // Longer than any acceptable password: refuse without feeding it to PBKDF2 (the attempt still counts).
        if (password.Length > PasswordPolicy.MaxLength)
        {
            return await FailAsync(null, ipAddress, cancellationToken);
        }

        var user = await db.Set<User>().AsNoTracking().FirstOrDefaultAsync(u => u.NormalizedEmail == subject, cancellationToken);
        if (user?.PasswordHash is null)
        {
            hasher.VerifyHashedPassword(DummyUser, DummyHash(), password);
            return await FailAsync(null, ipAddress, cancellationToken);
        }

        var verification = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verification == PasswordVerificationResult.Failed)
        {
            return await FailAsync(user, ipAddress, cancellationToken);
        }

        await throttle.ResetAsync(subject, ipAddress, cancellationToken);
        if (UserAccess.Check(user) == UserDenial.Blocked)
        {
            return new(PasswordAuthenticationOutcome.UserBlocked, user);
        }

        if (verification == PasswordVerificationResult.SuccessRehashNeeded)
        {
            var upgraded = hasher.HashPassword(user, password);
            await db.Set<User>().Where(u => u.UserId == user.UserId)
                .ExecuteUpdateAsync(u => u.SetProperty(x => x.PasswordHash, upgraded), cancellationToken);
        }

        // Atomic increment, no concurrency token: several tabs may log in at once (BF-7).
        var now = time.GetUtcNow();
        await db.Set<User>().Where(u => u.UserId == user.UserId)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.LastLogin, now).SetProperty(x => x.LoginsCount, x => x.LoginsCount + 1), cancellationToken);
        return new(PasswordAuthenticationOutcome.Success, user);
    }

    private async Task<PasswordAuthenticationResult> FailAsync(User? user, string ipAddress, CancellationToken cancellationToken)
    {
        await throttle.RecordIpFailureAsync(ipAddress, cancellationToken);
        return new(PasswordAuthenticationOutcome.InvalidCredentials, user);
    }

    /// <summary>Computes the dummy hash at start-up, so the first unknown-email login does not take twice as long.</summary>
    public static void WarmUp(IOptions<PasswordHasherOptions> options) => s_dummyHash ??= new PasswordHasher<User>(options).HashPassword(DummyUser, Guid.NewGuid().ToString());

    private string DummyHash()
    {
        WarmUp(hasherOptions);
        return s_dummyHash!;
    }
}
