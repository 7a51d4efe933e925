using System.Text.Json.Nodes;
using Latchkey.Server.Login;
using Latchkey.Server.Tenants;
using Microsoft.AspNetCore.Identity;

namespace Latchkey.Server.Management.Users;

/// <summary>
/// Applies a <c>PATCH /api/v2/users/{id}</c> body to a user, member by member in the order sent, with Auth0's semantics
/// for metadata (auth0-wire R15.3): only root-level properties merge, nested objects are replaced wholesale, a property
/// set to <c>null</c> is deleted, and <c>{}</c> removes the metadata completely.
/// </summary>
internal static class UserPatch
{
    /// <summary>Stored metadata stays small: it travels in tokens and in every user read.</summary>
    public const int MaxMetadataBytes = 16 * 1024;

    /// <summary>What a current-user token (<c>update:current_user_metadata</c>) may change.</summary>
    public static readonly string[] CurrentUserFields = ["user_metadata"];

    /// <summary>Returns the error to send, or null when <paramref name="user"/> was updated.</summary>
    public static string? Apply(User user, ManagementBody<UserUpdateRequest> body, IPasswordHasher<User> hasher, out bool passwordChanged)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(body);
        passwordChanged = false;
        var patch = body.Value;
        foreach (var name in body.Members)
        {
            var problem = name switch
            {
                "user_metadata" => MergeMetadata(patch.UserMetadata, name, merged => user.UserMetadata = merged, user.UserMetadata),
                "app_metadata" => MergeMetadata(patch.AppMetadata, name, merged => user.AppMetadata = merged, user.AppMetadata),
                "email" => SetEmail(user, patch.Email),
                "email_verified" => Set(() => user.EmailVerified = patch.EmailVerified),
                "blocked" => Set(() => user.Blocked = patch.Blocked),
                "name" => CheckText(patch.Name, name, 300) ?? Set(() => user.Name = patch.Name),
                "nickname" => CheckText(patch.Nickname, name, 300) ?? Set(() => user.Nickname = patch.Nickname),
                "picture" => SetPicture(user, patch.Picture),
                "password" => SetPassword(user, patch.Password, hasher),
                _ => throw new InvalidOperationException($"UserUpdateRequest has a member UserPatch does not apply: {name}."),
            };
            if (problem is not null)
            {
                return problem;
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

    private static string? MergeMetadata(JsonObject patch, string name, Action<string> store, string current)
    {
        var merged = MetadataObject.Parse(current);
        if (patch.Count == 0)
        {
            merged = [];
        }

        foreach (var (key, item) in patch)
        {
            if (item is null)
            {
                merged.Remove(key);
            }
            else
            {
                merged[key] = item.DeepClone();
            }
        }

        var json = merged.ToJsonString();
        if (System.Text.Encoding.UTF8.GetByteCount(json) > MaxMetadataBytes)
        {
            return $"Payload validation error: '{name} is larger than {MaxMetadataBytes} bytes'.";
        }

        store(json);
        return null;
    }

    private static string? SetEmail(User user, string value)
    {
        var email = value.Trim();
        if (!EmailAddress.IsValid(email))
        {
            return "Payload validation error: 'Object didn't pass validation for format email' on property email.";
        }

        if (User.Normalize(email) != user.NormalizedEmail)
        {
            // A new address is unverified until proven otherwise (Auth0 does the same unless email_verified is sent).
            user.EmailVerified = false;
        }

        user.Email = email;
        user.NormalizedEmail = User.Normalize(email);
        return null;
    }

    private static string? SetPicture(User user, string? picture)
    {
        if (picture is not null && (picture.Length > 2048
            || !Uri.TryCreate(picture, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")))
        {
            return "Payload validation error: 'Object didn't pass validation for format uri' on property picture.";
        }

        user.Picture = picture;
        return null;
    }

    private static string? SetPassword(User user, string password, IPasswordHasher<User> hasher)
    {
        if (PasswordPolicy.Check(password, user.Email, rejectCommon: true) is { } weak)
        {
            return $"PasswordStrengthError: The password {weak}.";
        }

        user.PasswordHash = hasher.HashPassword(user, password);
        return null;
    }

    private static string? CheckText(string text, string name, int maxLength) =>
        text.Length == 0 || text.Length > maxLength || text.Any(char.IsControl)
            ? $"Payload validation error: 'String length must be 1 to {maxLength} printable characters' on property {name}."
            : null;
}
