using System.Globalization;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Hosting;

/// <summary>
/// Checks <see cref="LatchkeyOptions"/> when the server starts (and whenever they are first read). Each failure names the
/// configuration key, its value and what to set instead, so an operator can fix it without reading the code.
/// </summary>
internal sealed class LatchkeyOptionsValidator : IValidateOptions<LatchkeyOptions>
{
    public ValidateOptionsResult Validate(string? name, LatchkeyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (options.Issuer is { } issuer && (!issuer.IsAbsoluteUri || issuer.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(issuer.Query) || !string.IsNullOrEmpty(issuer.Fragment)))
        {
            failures.Add($"Latchkey:Issuer is '{issuer}'; set an absolute http or https URL without query or fragment, e.g. https://auth.example.com/.");
        }

        var tokens = options.Tokens;
        Range(failures, "Tokens:AuthorizationCodeLifetime", tokens.AuthorizationCodeLifetime, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(10), "RFC 6749 §4.1.2: codes live at most 10 minutes");
        Range(failures, "Tokens:IdentityTokenLifetime", tokens.IdentityTokenLifetime, TimeSpan.FromMinutes(1), TimeSpan.FromDays(30), "Auth0 allows up to 30 days; the SDKs allow 60 s of clock skew");
        Range(failures, "Tokens:UserInfoAccessTokenLifetime", tokens.UserInfoAccessTokenLifetime, TimeSpan.FromMinutes(1), TimeSpan.FromDays(30), "the SDKs renew tokens 60 s before they expire");
        Range(failures, "Tokens:ImplicitAccessTokenLifetime", tokens.ImplicitAccessTokenLifetime, TimeSpan.FromMinutes(1), TimeSpan.FromDays(1), "RFC 9700 §2.1.2: front-channel tokens must be short-lived");
        Range(failures, "Tokens:PruneInterval", tokens.PruneInterval, TimeSpan.FromMinutes(1), TimeSpan.FromDays(1), "rows pile up between passes");
        Range(failures, "Sessions:Lifetime", options.Sessions.Lifetime, TimeSpan.FromMinutes(1), TimeSpan.FromDays(365), "a login session must end some day");
        Range(failures, "Passwords:HashIterations", options.Passwords.HashIterations, PasswordOptions.MinimumHashIterations, 10_000_000, "the OWASP Password Storage Cheat Sheet's minimum for PBKDF2-HMAC-SHA512, and a bound on login CPU");
        Range(failures, "Login:MaxFailedAttempts", options.Login.MaxFailedAttempts, 1, 100, "Auth0's brute-force threshold range");
        Range(failures, "Login:MaxFailedAttemptsPerIpPerDay", options.Login.MaxFailedAttemptsPerIpPerDay, 1, 1_000_000, "a daily count per IP address");
        Range(failures, "Login:MaxSignUpsPerIpPerMinute", options.Login.MaxSignUpsPerIpPerMinute, 1, 1_000_000, "a count per IP address and minute");
        Range(failures, "Management:RateLimitPerMinute", options.Management.RateLimitPerMinute, 0, 1_000_000, "0 turns the limit off");
        Range(failures, "Management:RateLimitBurst", options.Management.RateLimitBurst, 1, 100_000, "requests one caller may make at once");
        foreach (var (surface, limit) in new[] { ("Token", options.RateLimits.Token), ("LoginPages", options.RateLimits.LoginPages), ("DbConnections", options.RateLimits.DbConnections) })
        {
            Range(failures, $"RateLimits:{surface}:PerMinute", limit.PerMinute, 0, 100_000_000, "0 turns the limit off");
            Range(failures, $"RateLimits:{surface}:Burst", limit.Burst, 1, 100_000_000, "requests one address or Application may make at once");
        }

        var actions = options.Actions;
        Range(failures, "Actions:TimeLimit", actions.TimeLimit, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30), "a login waits for its Actions");
        Range(failures, "Actions:MaxStatements", actions.MaxStatements, 1_000, 1_000_000_000, "statements one Action may execute");
        Range(failures, "Actions:MaxRecursionDepth", actions.MaxRecursionDepth, 16, 10_000, "nested calls one Action may make");
        Range(failures, "Actions:MaxMemoryBytes", actions.MaxMemoryBytes, 1L * 1024 * 1024, 1024L * 1024 * 1024, "bytes one Action may allocate");

        var keys = options.Keys;
        Range(failures, "Keys:RotationInterval", keys.RotationInterval, TimeSpan.FromHours(1), TimeSpan.FromDays(730), "a key must sign long enough to be published first, and not for years");
        Range(failures, "Keys:PublishBeforeUse", keys.PublishBeforeUse, TimeSpan.Zero, keys.RotationInterval, "the next key is published one rotation ahead, so it cannot exceed Keys:RotationInterval");
        Range(failures, "Keys:ScheduleCheckInterval", keys.ScheduleCheckInterval, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1), "a one-row read per node and interval");

        var logs = options.Logs;
        Range(failures, "Logs:Retention", logs.Retention, TimeSpan.FromHours(1), TimeSpan.FromDays(3650), "entries older than this are deleted");
        Range(failures, "Logs:PruneInterval", logs.PruneInterval, TimeSpan.FromMinutes(1), TimeSpan.FromDays(1), "entries pile up between passes");
        Range(failures, "Logs:QueueCapacity", logs.QueueCapacity, 100, 10_000_000, "entries held in memory before new ones are dropped");
        Range(failures, "Logs:BatchSize", logs.BatchSize, 1, 10_000, "entries per database round trip");

        var email = options.Email;
        if (!MimeKit.MailboxAddress.TryParse(email.From ?? string.Empty, out var from) || !Users.EmailAddress.IsValid(from.Address))
        {
            failures.Add($"Latchkey:Email:From is '{email.From}'; set the sender's address, e.g. no-reply@example.com or \"Example <no-reply@example.com>\".");
        }

        if (email.Smtp.Host is { } smtpHost && (smtpHost.Length == 0 || Uri.CheckHostName(smtpHost) == UriHostNameType.Unknown))
        {
            failures.Add($"Latchkey:Email:Smtp:Host is '{smtpHost}'; set the SMTP server's host name, e.g. smtp.example.com, or leave it unset.");
        }

        if (string.IsNullOrEmpty(email.Smtp.Username) != string.IsNullOrEmpty(email.Smtp.Password))
        {
            failures.Add("Latchkey:Email:Smtp:Username and Latchkey:Email:Smtp:Password go together; set both or neither.");
        }

        Range(failures, "Email:Smtp:Port", email.Smtp.Port, 1, 65535, "a TCP port");
        Range(failures, "Email:QueueCapacity", email.QueueCapacity, 1, 1_000_000, "messages held in memory before new ones are refused");
        Range(failures, "Email:MaxAttempts", email.MaxAttempts, 1, 20, "sending attempts per message");
        Range(failures, "Email:RetryDelay", email.RetryDelay, TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1), "the first wait between attempts; it doubles");
        Range(failures, "Email:VerificationLinkLifetime", email.VerificationLinkLifetime, TimeSpan.FromMinutes(5), TimeSpan.FromDays(30), "Auth0's tickets live at most 30 days");
        Range(failures, "Email:PasswordResetLinkLifetime", email.PasswordResetLinkLifetime, TimeSpan.FromMinutes(5), TimeSpan.FromDays(30), "Auth0's tickets live at most 30 days");
        Range(failures, "Email:MaxRequestsPerEmailPerHour", email.MaxRequestsPerEmailPerHour, 1, 1_000, "mails one address may ask for per hour");
        Range(failures, "Email:MaxRequestsPerIpPerHour", email.MaxRequestsPerIpPerHour, 1, 1_000_000, "requests one IP address may make per hour");

        if (options.Database.Provider is { } provider && !provider.Equals("sqlite", StringComparison.OrdinalIgnoreCase) && !provider.Equals("postgres", StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"Latchkey:Database:Provider is '{provider}'; set sqlite or postgres, or leave it unset to infer it from the connection string.");
        }

        var prometheus = options.Telemetry.Prometheus;
        if (prometheus.Enabled && prometheus.Port is null && string.IsNullOrEmpty(prometheus.ScrapeToken))
        {
            failures.Add("Latchkey:Telemetry:Prometheus:Enabled is true without Latchkey:Telemetry:Prometheus:Port (a local port listed in urls) or Latchkey:Telemetry:Prometheus:ScrapeToken (a bearer secret); set one, so that the metrics are not public.");
        }

        if (!prometheus.Path.StartsWith('/'))
        {
            failures.Add($"Latchkey:Telemetry:Prometheus:Path is '{prometheus.Path}'; set a path starting with '/', e.g. /metrics.");
        }

        var bootstrap = options.Bootstrap;
        if (!string.IsNullOrEmpty(bootstrap.AdminEmail) && !Users.EmailAddress.IsValid(bootstrap.AdminEmail))
        {
            failures.Add($"Latchkey:Bootstrap:AdminEmail is '{bootstrap.AdminEmail}'; set the email address of the first administrator, e.g. admin@example.com.");
        }

        if (string.IsNullOrWhiteSpace(bootstrap.AdminPasswordVariable))
        {
            failures.Add("Latchkey:Bootstrap:AdminPasswordVariable is empty; set the name of an environment variable, e.g. LATCHKEY_ADMIN_PASSWORD.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Range<T>(List<string> failures, string key, T value, T min, T max, string why)
        where T : IComparable<T>
    {
        if (value.CompareTo(min) < 0 || value.CompareTo(max) > 0)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{LatchkeyOptions.Section}:{key} is {value}; set it between {min} and {max} ({why})."));
        }
    }
}
