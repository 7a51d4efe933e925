namespace Latchkey.Server.AttackProtection;

/// <summary>
/// Failed password attempts for one account identifier from one network address (Auth0 brute-force protection:
/// 10 consecutive failures for a user from one IP block that pair). Kept in the database so every node sees the
/// same counter. The identifier is the normalized email whether or not such a user exists, so a block never
/// reveals which emails have accounts.
/// </summary>
public sealed class LoginThrottle
{
    public required string Subject { get; set; }

    public required string IpAddress { get; set; }

    /// <summary>Attempts counted so far, including one in progress (reserved before the password is checked).</summary>
    public int FailedCount { get; set; }

    public DateTimeOffset FirstFailureAt { get; set; }

    public DateTimeOffset LastFailureAt { get; set; }
}
