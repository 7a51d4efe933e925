namespace Latchkey.Server.Users;

/// <summary>
/// One password policy for sign-up, the tenant file and the Management API: 8 to 128 characters (NIST SP 800-63B
/// §3.1.1.2; the upper bound keeps PBKDF2 input bounded and is checked before hashing), not the email address,
/// and at sign-up not one of the most common passwords. The database connection may ask for more
/// (<see cref="PasswordRequirements"/>: a longer minimum, Auth0's strength levels).
/// </summary>
internal static class PasswordPolicy
{
    public const int MinLength = 8;
    public const int MaxLength = 128;

    // A short local list (no network lookups): the most frequent leaked passwords of 8+ characters.
    private static readonly HashSet<string> Common = new(StringComparer.OrdinalIgnoreCase)
    {
        "password", "password1", "password12", "password123", "password1234", "passw0rd", "p@ssw0rd", "p@ssword",
        "12345678", "123456789", "1234567890", "123123123", "11111111", "00000000", "87654321", "12341234",
        "qwertyuiop", "qwerty123", "qwerty12", "qwertyui", "1q2w3e4r", "1qaz2wsx", "zaq12wsx", "q1w2e3r4",
        "abcd1234", "abc12345", "abcdefgh", "iloveyou", "iloveyou1", "sunshine", "princess", "football",
        "baseball", "welcome1", "welcome123", "letmein1", "letmein123", "trustno1", "superman", "batman123",
        "starwars", "whatever", "computer", "internet", "michelle", "jennifer", "maverick", "mustang1",
        "charlie1", "dragon123", "monkey123", "shadow123", "master123", "access123", "changeme", "changeme1",
        "admin123", "administrator", "secret123", "asdfghjk", "asdfasdf", "zxcvbnm1", "test1234", "testtest",
        "hello123", "freedom1", "whatever1", "1234qwer", "qazwsxedc", "aaaaaaaa", "passpass", "football1",
        "latchkey", "latchkey1", "latchkey123",
    };

    /// <summary>Returns what is wrong with <paramref name="password"/>, or null when it is acceptable.</summary>
    public static string? Check(string password, string? email, bool rejectCommon, PasswordRequirements? requirements = null)
    {
        ArgumentNullException.ThrowIfNull(password);
        requirements ??= PasswordRequirements.Default;
        if (password.Length > MaxLength)
        {
            return $"must be at most {MaxLength} characters";
        }

        var minLength = Math.Max(MinLength, requirements.MinLength);
        if (password.Length < minLength)
        {
            return $"must be at least {minLength} characters";
        }

        if (requirements.CheckStrength(password) is { } weak)
        {
            return weak;
        }

        if (email is not null && string.Equals(password.Trim(), email.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            return "must not be the email address";
        }

        if (rejectCommon && Common.Contains(password))
        {
            return "is too common; choose a less predictable password";
        }

        return null;
    }
}
