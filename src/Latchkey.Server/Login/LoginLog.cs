using Latchkey.Server.Logs;
using Latchkey.Server.Users;

namespace Latchkey.Server.Login;

/// <summary>The tenant log entries of the login and sign-up pages, in Auth0's types (docs/logs.md).</summary>
internal static class LoginLog
{
    /// <summary>Auth0's description of a failed password login (the page says the same for an unknown email).</summary>
    private const string WrongCredentials = "Wrong email or password.";

    /// <summary>
    /// <c>s</c>; <c>fp</c> (the email exists, wrong password) or <c>fu</c> (no such user), which the page does not tell
    /// apart; <c>limit_wc</c> (brute-force protection refused the attempt); <c>f</c> for a blocked user (Auth0's text
    /// <c>user is blocked</c>).
    /// </summary>
    public static LogEntry For(HttpContext http, PasswordAuthenticationResult result, string email, string? clientId)
    {
        ArgumentNullException.ThrowIfNull(result);
        var (type, description) = result.Outcome switch
        {
            PasswordAuthenticationOutcome.Success => (LogEventTypes.SuccessLogin, null),
            PasswordAuthenticationOutcome.UserBlocked => (LogEventTypes.FailedLogin, UserAccess.BlockedDescription),
            PasswordAuthenticationOutcome.Throttled => (LogEventTypes.BlockedAccount, $"User {email} is blocked from this IP address after too many failed login attempts."),
            _ when result.User is not null => (LogEventTypes.WrongPassword, WrongCredentials),
            _ => (LogEventTypes.UnknownUser, WrongCredentials),
        };
        return LogEntry.For(http, type) with
        {
            ClientId = clientId,
            UserId = result.User?.UserId,
            UserName = result.User?.Email ?? email,
            Description = description,
        };
    }

    /// <summary><c>ss</c> with the new user, or <c>fs</c> with what stopped it.</summary>
    public static LogEntry SignUp(HttpContext http, string email, string? clientId, User? user, string? problem) =>
        LogEntry.For(http, user is null ? LogEventTypes.FailedSignup : LogEventTypes.SuccessSignup) with
        {
            ClientId = clientId,
            UserId = user?.UserId,
            UserName = user?.Email ?? email,
            Description = user is null ? problem : null,
        };
}
