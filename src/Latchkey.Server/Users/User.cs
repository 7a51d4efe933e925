namespace Latchkey.Server.Users;

/// <summary>
/// A user of the tenant's database connection. <see cref="UserId"/> has Auth0's
/// <c>provider|id</c> form (<c>latchkey|…</c>) because SPAs build URLs from <c>sub</c> and parse the provider.
/// </summary>
public sealed class User
{
    public const string Provider = "latchkey";

    public required string UserId { get; set; }

    public required string Email { get; set; }

    /// <summary><see cref="EmailAddress.Normalize"/> of <see cref="Email"/>, unique: two users never share an address.</summary>
    public required string NormalizedEmail { get; set; }

    public bool EmailVerified { get; set; }

    public string? Name { get; set; }

    public string? Nickname { get; set; }

    /// <summary>Auth0's <c>given_name</c> (OIDC Core §5.1), set by an administrator.</summary>
    public string? GivenName { get; set; }

    /// <summary>Auth0's <c>family_name</c> (OIDC Core §5.1), set by an administrator.</summary>
    public string? FamilyName { get; set; }

    public string? Picture { get; set; }

    public string? PasswordHash { get; set; }

    /// <summary>JSON object, user-editable (Management API current-user scopes).</summary>
    public string UserMetadata { get; set; } = "{}";

    /// <summary>JSON object, admin-only.</summary>
    public string AppMetadata { get; set; } = "{}";

    /// <summary>Roles given to the user (user data: read with the user, no tenant version).</summary>
    public List<UserRole> Roles { get; set; } = [];

    /// <summary>Permissions given to the user directly, beside those of its roles.</summary>
    public List<UserPermission> Permissions { get; set; } = [];

    public bool Blocked { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;

    public DateTimeOffset? LastLogin { get; set; }

    public int LoginsCount { get; set; }

    public static string NewId() => $"{Provider}|{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12))}";

    /// <summary>
    /// A new user of the database connection, the one way users come into being (sign-up, tenant import, the
    /// Management API): a fresh <c>latchkey|…</c> id, the normalised email, and Auth0's default nickname (the email's
    /// local part). <paramref name="email"/> must already satisfy <see cref="EmailAddress.IsValid"/>; it is stored in
    /// its NFC form.
    /// </summary>
    public static User Create(string email, DateTimeOffset now)
    {
        if (!EmailAddress.TryNormalize(email, out var display, out var key, out var problem))
        {
            throw new ArgumentException($"The email {problem}.", nameof(email));
        }

        return new User
        {
            UserId = NewId(),
            Email = display,
            NormalizedEmail = key,
            Nickname = EmailAddress.LocalPart(display),
            CreatedAt = now,
            UpdatedAt = now,
        };
    }
}
