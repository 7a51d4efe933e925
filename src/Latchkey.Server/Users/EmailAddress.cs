namespace Latchkey.Server.Users;

/// <summary>
/// The one email rule, for sign-up, the tenant file and the Management API alike: a deliberately simple check (one
/// <c>@</c>, something on each side, a dot in the domain, no spaces or characters that only quoted forms allow), and the
/// normalisation that makes two spellings of one address the same user.
/// </summary>
internal static class EmailAddress
{
    public const int MaxLength = 320;

    public static bool IsValid(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength)
        {
            return false;
        }

        var at = value.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != value.LastIndexOf('@') || at == value.Length - 1)
        {
            return false;
        }

        var domain = value[(at + 1)..];
        return domain.Contains('.', StringComparison.Ordinal) && !domain.StartsWith('.') && !domain.EndsWith('.')
            && !value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or '"' or ',' or ';' or '(' or ')' or '[' or ']' or '\\');
    }

    /// <summary>The form stored in <see cref="User.NormalizedEmail"/> and compared for uniqueness and login.</summary>
    public static string Normalize(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        return email.Trim().ToUpperInvariant();
    }

    /// <summary>What precedes the <c>@</c> (Auth0's default nickname).</summary>
    public static string LocalPart(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        return email[..Math.Max(0, email.IndexOf('@', StringComparison.Ordinal))];
    }
}
