using System.Text.RegularExpressions;

namespace Latchkey.Server.Users.Import;

/// <summary>The shapes of imported hashes as Auth0's import accepts them in <c>password_hash</c>.</summary>
internal static partial class PasswordHashFormat
{
    /// <summary>bcrypt's modular crypt format: <c>$2a$</c>, <c>$2b$</c> or <c>$2y$</c>, a two-digit cost, 53 characters of salt and hash.</summary>
    public static bool IsBcrypt(string hash) => Bcrypt().IsMatch(hash);

    [GeneratedRegex(@"^\$2[aby]\$(0[4-9]|[12][0-9]|3[01])\$[./A-Za-z0-9]{53}$", RegexOptions.CultureInvariant)]
    private static partial Regex Bcrypt();
}
