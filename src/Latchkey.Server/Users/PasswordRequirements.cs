namespace Latchkey.Server.Users;

/// <summary>
/// What the database connection asks of a new password on top of <see cref="PasswordPolicy"/>'s fixed rules: a minimum
/// length (Auth0's <c>password_complexity_options.min_length</c>, never below <see cref="PasswordPolicy.MinLength"/>)
/// and Auth0's named strength (<c>passwordPolicy</c>: <see cref="Strengths"/>; null for none beyond the fixed rules).
/// </summary>
internal sealed record PasswordRequirements(int MinLength, string? Strength)
{
    public const string None = "none";
    public const string Low = "low";
    public const string Fair = "fair";
    public const string Good = "good";
    public const string Excellent = "excellent";

    /// <summary>Auth0's <c>passwordPolicy</c> names.</summary>
    public static readonly IReadOnlyList<string> Strengths = [None, Low, Fair, Good, Excellent];

    public static readonly PasswordRequirements Default = new(PasswordPolicy.MinLength, null);

    /// <summary>
    /// Auth0's password strength levels (its "Password Strength" page): <c>fair</c> needs lower case, upper case and
    /// digits; <c>good</c> and <c>excellent</c> three of lower case, upper case, digits and special characters, and
    /// <c>excellent</c> 10 characters and no character three times in a row. <c>none</c> and <c>low</c> only ask for
    /// a length, which Latchkey's floor of 8 already exceeds. Returns what is missing, or null.
    /// </summary>
    public string? CheckStrength(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var lower = password.Any(char.IsLower);
        var upper = password.Any(char.IsUpper);
        var digit = password.Any(char.IsDigit);
        var special = password.Any(c => !char.IsLetterOrDigit(c));
        var kinds = (lower ? 1 : 0) + (upper ? 1 : 0) + (digit ? 1 : 0) + (special ? 1 : 0);
        switch (Strength)
        {
            case Fair when !(lower && upper && digit):
                return "must contain lower case letters, upper case letters and digits";
            case Good or Excellent when kinds < 3:
                return "must contain three of: lower case letters, upper case letters, digits, special characters";
            case Excellent when password.Length < 10:
                return "must be at least 10 characters";
            case Excellent when Enumerable.Range(2, Math.Max(0, password.Length - 2)).Any(i => password[i] == password[i - 1] && password[i] == password[i - 2]):
                return "must not contain a character three times in a row";
            default:
                return null;
        }
    }
}
