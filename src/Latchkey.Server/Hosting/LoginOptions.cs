namespace Latchkey.Server.Hosting;

/// <summary><c>Latchkey:Login</c>: brute-force protection and throttling of the login and sign-up pages (Auth0's attack protection).</summary>
public sealed class LoginOptions
{
    /// <summary>
    /// Consecutive failed logins for one user from one IP address after which that pair is blocked until a password
    /// change or an administrator lifts it (Auth0 brute-force protection: 10, configurable 1–100).
    /// </summary>
    public int MaxFailedAttempts { get; set; } = 10;

    /// <summary>Failed logins from one IP address across all accounts per day before that address is throttled (Auth0 suspicious-IP throttling: 100).</summary>
    public int MaxFailedAttemptsPerIpPerDay { get; set; } = 100;

    /// <summary>Sign-ups from one IP address per minute before that address is throttled (Auth0 suspicious-IP throttling: 50).</summary>
    public int MaxSignUpsPerIpPerMinute { get; set; } = 50;
}
