using System.Text;
using Latchkey.Server.Users;
using Latchkey.Server.Users.Import;

namespace Latchkey.Server.Tenants.Rules;

/// <summary>
/// What a user's profile may hold, for the tenant file, sign-up and the Management API alike: an email address
/// (<see cref="EmailAddress"/>, the login page's rule), a password within <see cref="PasswordPolicy"/>, printable names,
/// an http(s) picture, and small metadata (it travels in tokens and every user read).
/// </summary>
internal static class UserRules
{
    public const int MaxNameLength = 300;
    public const int MaxPictureLength = 2048;
    public const int MaxMetadataBytes = 16 * 1024;

    /// <summary>The one email rule (<see cref="EmailAddress"/>): shape, IDNA domain, no look-alikes.</summary>
    public static string? Email(string email) =>
        EmailAddress.TryNormalize(email, out _, out _, out var problem) ? null : $"\"{email}\" {problem}";

    /// <summary>
    /// The password policy, with the database connection's <paramref name="requirements"/> when given; <paramref name="rejectCommon"/> adds the common-password list (interactive choices: sign-up
    /// and administrators; a tenant file may carry a known seed password).
    /// </summary>
    public static string? Password(string password, string? email, bool rejectCommon, PasswordRequirements? requirements = null) =>
        PasswordPolicy.Check(password, email, rejectCommon, requirements) is { } weak ? $"the password {weak}" : null;

    /// <summary><c>name</c> and <c>nickname</c>: 1 to 300 printable characters.</summary>
    public static string? Name(string name) =>
        ValueRules.Text(name, MaxNameLength, required: true) ?? (name.Any(char.IsControl) ? "must not contain control characters" : null);

    public static string? Picture(string picture) =>
        picture.Length <= MaxPictureLength && Uri.TryCreate(picture, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
            ? null
            : $"\"{picture}\" is not an absolute http(s) URL";

    /// <summary><c>user_metadata</c>/<c>app_metadata</c> as stored (compact JSON).</summary>
    public static string? Metadata(string json) =>
        Encoding.UTF8.GetByteCount(json) > MaxMetadataBytes ? $"is larger than {MaxMetadataBytes} bytes" : null;

    /// <summary>Everything wrong with <paramref name="user"/> from a tenant file.</summary>
    public static List<RuleProblem> Check(UserDraft user, string path = "")
    {
        ArgumentNullException.ThrowIfNull(user);
        var problems = new List<RuleProblem>();
        var email = Email(user.Email);
        problems.Add(RulePath.Join(path, "email"), ValueRules.Text(user.Email, EmailAddress.MaxLength, required: true) ?? email);
        if (user.Password is { } password)
        {
            problems.Add(RulePath.Join(path, "password"), Password(password, email is null ? user.Email : null, rejectCommon: false));
        }

        if (user.Name is { } name)
        {
            problems.Add(RulePath.Join(path, "name"), Name(name));
        }

        if (user.UserMetadata is { } userMetadata)
        {
            problems.Add(RulePath.Join(path, "user_metadata"), Metadata(userMetadata));
        }

        if (user.AppMetadata is { } appMetadata)
        {
            problems.Add(RulePath.Join(path, "app_metadata"), Metadata(appMetadata));
        }

        if (user.PasswordHash is { } hash)
        {
            // A bcrypt hash moved from Auth0 (or elsewhere), verified at login and replaced by Latchkey's own then.
            problems.Add(RulePath.Join(path, "password_hash"), user.Password is not null
                ? "cannot be given with password"
                : PasswordHashFormat.IsBcrypt(hash) ? null : "is not a bcrypt hash ($2a$, $2b$ or $2y$)");
        }

        problems.AddRange(PermissionRules.Check(user.Permissions ?? [], RulePath.Join(path, "permissions")));
        return problems;
    }

    /// <summary>Each role the user is given exists; each direct permission is a scope of an API.</summary>
    public static List<RuleProblem> CheckReferences(UserDraft user, TenantReferences tenant, string path = "")
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(tenant);
        var problems = new List<RuleProblem>();
        var roles = user.Roles ?? [];
        for (var i = 0; i < roles.Count; i++)
        {
            if (!tenant.Roles.Contains(roles[i]))
            {
                problems.Add(RulePath.Index(RulePath.Join(path, "roles"), i), $"\"{roles[i]}\" is not a role {tenant.Where}");
            }
        }

        problems.AddRange(PermissionRules.CheckReferences(user.Permissions ?? [], tenant, RulePath.Join(path, "permissions")));
        return problems;
    }
}
