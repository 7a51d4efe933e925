using System.Text.Json.Nodes;
using Latchkey.Server.Tenants;
using Latchkey.Server.Tenants.Rules;
using Latchkey.Server.Users;
using Microsoft.AspNetCore.Identity;

namespace Latchkey.Server.Management.Users;

/// <summary>
/// Applies a <c>PATCH /api/v2/users/{id}</c> body to a user, with Auth0's semantics for metadata (<see cref="UserMetadata.Merge"/>, docs/reference/auth0-wire.md
/// R15.3): only root-level properties merge, nested objects are replaced wholesale, a property set to <c>null</c> is deleted,
/// and <c>{}</c> removes the metadata completely. The result does not depend on the order of the members: <c>email</c>
/// is applied first, so a new address resets <c>email_verified</c> unless the same body sets <c>email_verified</c>
/// (Auth0), and the password policy compares against the new address; the rest follow in the order sent.
/// </summary>
internal static class UserPatch
{
    /// <summary>What a current-user token (<c>update:current_user_metadata</c>) may change.</summary>
    public static readonly string[] CurrentUserFields = ["user_metadata"];

    /// <summary>
    /// Returns what is wrong with the body by <see cref="UserRules"/>, or null when <paramref name="user"/> was updated.
    /// A new password meets the database connection's requirements too (<paramref name="passwords"/>), as in Auth0.
    /// </summary>
    public static RuleProblem? Apply(
        User user, ManagementBody<UserUpdateRequest> body, IPasswordHasher<User> hasher, PasswordRequirements passwords, out bool passwordChanged)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(body);
        passwordChanged = false;
        var patch = body.Value;
        foreach (var name in body.Members.OrderBy(member => member == "email" ? 0 : 1))
        {
            var problem = name switch
            {
                "user_metadata" => MergeMetadata(patch.UserMetadata, merged => user.UserMetadata = merged, user.UserMetadata),
                "app_metadata" => MergeMetadata(patch.AppMetadata, merged => user.AppMetadata = merged, user.AppMetadata),
                "email" => SetEmail(user, patch.Email),
                "email_verified" => Set(() => user.EmailVerified = patch.EmailVerified),
                "blocked" => Set(() => user.Blocked = patch.Blocked),
                "name" => UserRules.Name(patch.Name) ?? Set(() => user.Name = patch.Name),
                "nickname" => UserRules.Name(patch.Nickname) ?? Set(() => user.Nickname = patch.Nickname),
                "given_name" => UserRules.Name(patch.GivenName) ?? Set(() => user.GivenName = patch.GivenName),
                "family_name" => UserRules.Name(patch.FamilyName) ?? Set(() => user.FamilyName = patch.FamilyName),
                "picture" => (patch.Picture is null ? null : UserRules.Picture(patch.Picture)) ?? Set(() => user.Picture = patch.Picture),
                "password" => UserRules.Password(patch.Password, user.Email, rejectCommon: true, passwords) ?? Set(() => user.PasswordHash = hasher.HashPassword(user, patch.Password)),
                "connection" => null, // the one database connection; UsersApi refuses any other before applying
                _ => throw new InvalidOperationException($"UserUpdateRequest has a member UserPatch does not apply: {name}."),
            };
            if (problem is not null)
            {
                return new RuleProblem(name, problem);
            }

            passwordChanged |= name == "password";
        }

        return null;
    }

    private static string? Set(Action apply)
    {
        apply();
        return null;
    }

    private static string? MergeMetadata(JsonObject patch, Action<string> store, string current)
    {
        var json = UserMetadata.Merge(current, patch);
        return UserRules.Metadata(json) ?? Set(() => store(json));
    }

    private static string? SetEmail(User user, string value)
    {
        if (!EmailAddress.TryNormalize(value, out var email, out var normalized, out _))
        {
            return UserRules.Email(value);
        }

        if (normalized != user.NormalizedEmail)
        {
            // A new address is unverified until proven otherwise (Auth0 does the same unless email_verified is sent).
            user.EmailVerified = false;
        }

        user.Email = email;
        user.NormalizedEmail = normalized;
        return null;
    }
}
