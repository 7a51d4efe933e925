using Microsoft.AspNetCore.Identity;

namespace Latchkey.Server.Users.Import;

/// <summary>
/// Latchkey's password hasher (ASP.NET Identity v3, <paramref name="inner"/>) that also verifies hashes imported from
/// Auth0: a bcrypt <c>password_hash</c> stored as is, or a <see cref="CustomPasswordHash"/>. A match answers
/// <see cref="PasswordVerificationResult.SuccessRehashNeeded"/>, so the login that proves the password replaces the
/// imported hash with Latchkey's own (<c>Login/PasswordAuthenticator</c>), the way Auth0 upgrades imported hashes.
/// New hashes are always Latchkey's.
/// </summary>
internal sealed class ImportedPasswordHasher(PasswordHasher<User> inner) : IPasswordHasher<User>
{
    public string HashPassword(User user, string password) => inner.HashPassword(user, password);

    public PasswordVerificationResult VerifyHashedPassword(User user, string hashedPassword, string providedPassword)
    {
        ArgumentNullException.ThrowIfNull(hashedPassword);
        bool matches;
        if (PasswordHashFormat.IsBcrypt(hashedPassword))
        {
            // BCrypt.Net compares in constant time and reads $2a$, $2b$ and $2y$ alike.
            matches = BCrypt.Net.BCrypt.Verify(providedPassword, hashedPassword);
        }
        else if (CustomPasswordHash.IsStored(hashedPassword))
        {
            matches = CustomPasswordHash.FromStored(hashedPassword).Verify(providedPassword);
        }
        else
        {
            return inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }

        return matches ? PasswordVerificationResult.SuccessRehashNeeded : PasswordVerificationResult.Failed;
    }
}
