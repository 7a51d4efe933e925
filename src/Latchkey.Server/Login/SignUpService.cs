using Latchkey.Server.Persistence;
using Latchkey.Server.Tenants;
using Latchkey.Server.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Latchkey.Server.Login;

/// <summary>Creates a database user from the sign-up form.</summary>
internal sealed class SignUpService(LatchkeyDbContext db, IPasswordHasher<User> hasher, TenantCache tenants, TimeProvider time)
{
    /// <summary>Returns the new user (signed in by the caller), or the field and message that stop it.</summary>
    public Task<(User? User, string? Field, string? Problem)> CreateAsync(string email, string password, CancellationToken cancellationToken = default) =>
        CreateAsync(email, password, profile: null, signsIn: true, cancellationToken);

    /// <summary>
    /// Returns the new user, or the field and message that stop it. <paramref name="profile"/> fills in what the caller
    /// was given besides email and password (<c>/dbconnections/signup</c>'s names and <c>user_metadata</c>);
    /// <paramref name="signsIn"/> is false where signing up does not log the user in (that API call).
    /// </summary>
    public async Task<(User? User, string? Field, string? Problem)> CreateAsync(string email, string password, Action<User>? profile, bool signsIn, CancellationToken cancellationToken)
    {
        if (!EmailAddress.TryNormalize(email, out var display, out var normalized, out var refused))
        {
            return (null, "email", refused == EmailAddress.NotAnAddress ? "Enter a valid email address." : $"This email address {refused}.");
        }

        email = display;

        // Checked before hashing: the length cap is what keeps PBKDF2 input bounded. The database connection's options
        // (Management API PATCH /connections/{id}) apply from the next sign-up on, on every node.
        var requirements = (await tenants.GetAsync(cancellationToken)).Connection.PasswordRequirements;
        if (PasswordPolicy.Check(password, email, rejectCommon: true, requirements) is { } weak)
        {
            return (null, "password", $"The password {weak}.");
        }

        if (await db.Set<User>().AnyAsync(u => u.NormalizedEmail == normalized, cancellationToken))
        {
            return (null, "email", AccountExists);
        }

        var now = time.GetUtcNow();
        var user = User.Create(email, now);

        // Signing up on the page logs the user in.
        if (signsIn)
        {
            user.LastLogin = now;
            user.LoginsCount = 1;
        }

        profile?.Invoke(user);
        user.PasswordHash = hasher.HashPassword(user, password);
        db.Add(user);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same email signed up concurrently; the unique index decided.
            return (null, "email", AccountExists);
        }

        return (user, null, null);
    }

    // Auth0 also says so ("The user already exists."): sign-up cannot hide it without email verification first.
    public const string AccountExists = "An account with this email already exists. Log in instead.";
}
