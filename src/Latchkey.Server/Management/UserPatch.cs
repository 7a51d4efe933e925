using System.Text.Json;
using System.Text.Json.Nodes;
using Latchkey.Server.Users;
using Microsoft.AspNetCore.Identity;

namespace Latchkey.Server.Management;

/// <summary>
/// Applies a <c>PATCH /api/v2/users/{id}</c> body to a user, with Auth0's semantics for metadata
/// (docs/reference/auth0-wire.md R15.3): only root-level properties merge, nested objects are replaced wholesale, a property set to
/// <c>null</c> is deleted, and <c>{}</c> removes the metadata completely.
/// </summary>
internal static class UserPatch
{
    /// <summary>What a current-user token (<c>update:current_user_metadata</c>) may change.</summary>
    public static readonly string[] CurrentUserFields = ["user_metadata"];

    /// <summary>
    /// Returns the error to send, or null when <paramref name="user"/> was updated. Metadata larger than
    /// <paramref name="maxMetadataBytes"/> (<c>Latchkey:Management:MaxMetadataBytes</c>) is refused: it travels in every
    /// user read.
    /// </summary>
    public static string? Apply(User user, JsonObject body, IPasswordHasher<User> hasher, int maxMetadataBytes, out bool passwordChanged)
    {
        passwordChanged = false;
        foreach (var (name, value) in body)
        {
            var problem = name switch
            {
                "user_metadata" => MergeMetadata(value, name, merged => user.UserMetadata = merged, user.UserMetadata, maxMetadataBytes),
                "app_metadata" => MergeMetadata(value, name, merged => user.AppMetadata = merged, user.AppMetadata, maxMetadataBytes),
                "email" => SetEmail(user, value),
                "email_verified" => ReadBool(value, name, v => user.EmailVerified = v),
                "blocked" => ReadBool(value, name, v => user.Blocked = v),
                "name" => ReadText(value, name, 300, v => user.Name = v),
                "nickname" => ReadText(value, name, 300, v => user.Nickname = v),
                "picture" => SetPicture(user, value),
                "password" => SetPassword(user, value, hasher),
                _ => $"Payload validation error: 'Additional properties not allowed: {name}'.",
            };
            if (problem is not null)
            {
                return problem;
            }

            passwordChanged |= name == "password";
        }

        return null;
    }

    private static string? MergeMetadata(JsonNode? value, string name, Action<string> store, string current, int maxBytes)
    {
        if (value is not JsonObject patch)
        {
            return $"Payload validation error: 'Expected type object but found type {TypeName(value)}' on property {name}.";
        }

        var merged = UserResponse.ParseObject(current);
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
        if (System.Text.Encoding.UTF8.GetByteCount(json) > maxBytes)
        {
            return $"Payload validation error: '{name} is larger than {maxBytes} bytes'.";
        }

        store(json);
        return null;
    }

    private static string? SetEmail(User user, JsonNode? value)
    {
        if (value is not JsonValue v || !v.TryGetValue<string>(out var email) || !EmailAddress.IsValid(email.Trim()))
        {
            return "Payload validation error: 'Object didn't pass validation for format email' on property email.";
        }

        email = email.Trim();
        if (EmailAddress.Normalize(email) != user.NormalizedEmail)
        {
            // A new address is unverified until proven otherwise (Auth0 does the same unless email_verified is sent).
            user.EmailVerified = false;
        }

        user.Email = email;
        user.NormalizedEmail = EmailAddress.Normalize(email);
        return null;
    }

    private static string? SetPicture(User user, JsonNode? value)
    {
        if (value is null)
        {
            user.Picture = null;
            return null;
        }

        if (value is not JsonValue v || !v.TryGetValue<string>(out var picture) || picture.Length > 2048
            || !Uri.TryCreate(picture, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            return "Payload validation error: 'Object didn't pass validation for format uri' on property picture.";
        }

        user.Picture = picture;
        return null;
    }

    private static string? SetPassword(User user, JsonNode? value, IPasswordHasher<User> hasher)
    {
        if (value is not JsonValue v || !v.TryGetValue<string>(out var password))
        {
            return $"Payload validation error: 'Expected type string but found type {TypeName(value)}' on property password.";
        }

        if (PasswordPolicy.Check(password, user.Email, rejectCommon: true) is { } weak)
        {
            return $"PasswordStrengthError: The password {weak}.";
        }

        user.PasswordHash = hasher.HashPassword(user, password);
        return null;
    }

    private static string? ReadBool(JsonNode? value, string name, Action<bool> store)
    {
        if (value is not JsonValue v || v.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
        {
            return $"Payload validation error: 'Expected type boolean but found type {TypeName(value)}' on property {name}.";
        }

        store(v.GetValue<bool>());
        return null;
    }

    private static string? ReadText(JsonNode? value, string name, int maxLength, Action<string> store)
    {
        if (value is not JsonValue v || !v.TryGetValue<string>(out var text))
        {
            return $"Payload validation error: 'Expected type string but found type {TypeName(value)}' on property {name}.";
        }

        if (text.Length == 0 || text.Length > maxLength || text.Any(char.IsControl))
        {
            return $"Payload validation error: 'String length must be 1 to {maxLength} printable characters' on property {name}.";
        }

        store(text);
        return null;
    }

    private static string TypeName(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };
}
