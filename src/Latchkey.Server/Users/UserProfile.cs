using System.Globalization;

namespace Latchkey.Server.Users;

/// <summary>
/// A user's profile as every surface shows it — the ID token's profile claims, <c>/userinfo</c> and the Management API's
/// user object — so they never disagree. Auth0's defaults are applied here once: a name never set (or blank) is the
/// email, a nickname never set is the email's local part, a blank picture is absent, and times are ISO 8601 strings in
/// UTC with milliseconds (<c>2024-05-01T12:00:00.000Z</c>, docs/reference/auth0-wire.md R5.10, R15.3, R15.5).
/// </summary>
internal sealed record UserProfile(string Name, string Nickname, string? Picture, string UpdatedAt)
{
    public static UserProfile Of(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new UserProfile(
            string.IsNullOrWhiteSpace(user.Name) ? user.Email : user.Name,
            string.IsNullOrWhiteSpace(user.Nickname) ? EmailAddress.LocalPart(user.Email) : user.Nickname,
            string.IsNullOrWhiteSpace(user.Picture) ? null : user.Picture,
            Timestamp(user.UpdatedAt));
    }

    /// <summary>Auth0's timestamp format: ISO 8601 in UTC with milliseconds.</summary>
    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
