namespace Latchkey.Server.Hosting;

/// <summary>
/// <c>Latchkey:Email</c>: how verification and password-reset messages leave the server (docs/account-lifecycle.md).
/// Without <see cref="SmtpOptions.Host"/>, the Development environment writes each message to <see cref="PickupFolder"/>;
/// any other environment refuses the flows that need mail.
/// </summary>
public sealed class EmailOptions
{
    /// <summary>The sender address (<c>From</c>) of every message, e.g. <c>Example &lt;no-reply@example.com&gt;</c>.</summary>
    public string From { get; set; } = "no-reply@latchkey.local";

    /// <summary>The name messages and pages greet users with. Unset: the issuer's host name.</summary>
    public string? TenantName { get; set; }

    /// <summary>The SMTP server messages are sent through.</summary>
    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>
    /// A folder each message is written to as an <c>.eml</c> file instead of being sent (when no SMTP host is set).
    /// Unset: <c>latchkey-mail</c> in the system's temporary folder, in the Development environment only.
    /// </summary>
    public string? PickupFolder { get; set; }

    /// <summary>A folder whose <c>verify_email.txt</c>/<c>.html</c> and <c>reset_email.txt</c>/<c>.html</c> replace the built-in messages.</summary>
    public string? TemplatesFolder { get; set; }

    /// <summary>Messages waiting to be sent; a full queue refuses new ones (the request says so) instead of growing.</summary>
    public int QueueCapacity { get; set; } = 1_000;

    /// <summary>Sending attempts per message before it is given up and logged (<c>fn</c>).</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Wait before the second attempt; it doubles at each further one.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long an email-verification link works (Auth0's verification email and ticket default: 5 days).</summary>
    public TimeSpan VerificationLinkLifetime { get; set; } = TimeSpan.FromDays(5);

    /// <summary>
    /// How long a password-reset link works. Shorter than Auth0's 5 days on purpose: a reset link is a password
    /// (OWASP Forgot Password Cheat Sheet); tickets may ask for up to <c>ttl_sec</c> 30 days.
    /// </summary>
    public TimeSpan PasswordResetLinkLifetime { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Verification and reset mails one email address may ask for per hour (sign-ups and reset requests).</summary>
    public int MaxRequestsPerEmailPerHour { get; set; } = 5;

    /// <summary>Reset requests and API sign-ups one IP address may make per hour.</summary>
    public int MaxRequestsPerIpPerHour { get; set; } = 50;
}
