using System.Text.Json;
using System.Text.Json.Nodes;
using Latchkey.Server.Hosting;
using Latchkey.Server.Tenants.Rules;

namespace Latchkey.Server.Users.Import;

/// <summary>
/// One user of an import file in Auth0's bulk-import schema (docs/migrate-from-auth0.md), checked by the same
/// <see cref="UserRules"/> as every other way users come in. Problems use the codes of Auth0's schema validator
/// (<c>OBJECT_MISSING_REQUIRED_PROPERTY</c>, <c>INVALID_TYPE</c>, <c>OBJECT_ADDITIONAL_PROPERTIES</c>,
/// <c>INVALID_FORMAT</c>) with the member's path, so the job's errors read as Auth0's do.
/// </summary>
internal sealed class UserImportRecord
{
    /// <summary>Auth0 forms the id of an imported user as <c>auth0|&lt;user_id&gt;</c>; tokens carry it as <c>sub</c>.</summary>
    public const string IdProvider = "auth0";

    private static readonly HashSet<string> Strings = ["email", "user_id", "given_name", "family_name", "name", "nickname", "picture", "password_hash"];
    private static readonly HashSet<string> Booleans = ["email_verified", "blocked"];
    private static readonly HashSet<string> Objects = ["user_metadata", "app_metadata", "custom_password_hash"];

    private UserImportRecord(JsonObject json) => Json = json;

    private JsonObject Json { get; }

    /// <summary>The members the file gave (upsert changes exactly these).</summary>
    public IEnumerable<string> Members => Json.Select(p => p.Key);

    public required string Email { get; init; }

    public required string NormalizedEmail { get; init; }

    /// <summary><c>auth0|&lt;user_id&gt;</c>, or null when the file gave none (a new id is made).</summary>
    public string? UserId { get; init; }

    /// <summary>The hash to store as is: a bcrypt <c>password_hash</c> or a <see cref="CustomPasswordHash"/> in its stored form.</summary>
    public string? PasswordHash { get; init; }

    public string? Text(string name) => Json[name]?.GetValue<string>();

    public bool? Flag(string name) => Json[name]?.GetValue<bool>();

    public JsonObject? Metadata(string name) => Json[name] as JsonObject;

    /// <summary>The user as echoed in the job's errors: without its password hash.</summary>
    public static JsonNode? Echo(JsonNode? node)
    {
        if (node is not JsonObject json)
        {
            return node?.DeepClone();
        }

        var copy = (JsonObject)json.DeepClone();
        copy.Remove("password_hash");
        copy.Remove("custom_password_hash");
        return copy;
    }

    public static UserImportRecord? Parse(JsonNode? node, List<UserImportProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (node is not JsonObject json)
        {
            problems.Add(new("INVALID_TYPE", $"Expected type object but found type {StrictJson.TypeName(node)}", null));
            return null;
        }

        foreach (var (name, value) in json)
        {
            var expected = Strings.Contains(name) ? JsonValueKind.String
                : Booleans.Contains(name) ? JsonValueKind.True
                : Objects.Contains(name) ? JsonValueKind.Object
                : JsonValueKind.Undefined;
            if (expected == JsonValueKind.Undefined)
            {
                // Auth0's schema also has username and mfa_factors: Latchkey's connection signs in by email and has no
                // MFA yet, so a user that needs them is refused rather than imported without them.
                problems.Add(new("OBJECT_ADDITIONAL_PROPERTIES", $"Additional properties not allowed: {name}", name));
                continue;
            }

            var kind = value?.GetValueKind() ?? JsonValueKind.Null;
            if (kind != expected && !(expected == JsonValueKind.True && kind == JsonValueKind.False))
            {
                problems.Add(new("INVALID_TYPE", $"Expected type {StrictJson.TypeName(expected)} but found type {StrictJson.TypeName(value)}", name));
            }
        }

        if (!json.ContainsKey("email"))
        {
            problems.Add(new("OBJECT_MISSING_REQUIRED_PROPERTY", "Missing required property: email", null));
        }

        if (problems.Count > 0)
        {
            return null;
        }

        var email = (string)json["email"]!;
        if (!EmailAddress.TryNormalize(email, out var display, out var normalized, out _))
        {
            problems.Add(new("INVALID_FORMAT", $"Error in email property - {UserRules.Email(email)}", "email"));
        }

        foreach (var name in new[] { "given_name", "family_name", "name", "nickname" })
        {
            if (json[name] is { } value && UserRules.Name((string)value!) is { } problem)
            {
                problems.Add(new("INVALID_FORMAT", problem, name));
            }
        }

        if (json["picture"] is { } picture && UserRules.Picture((string)picture!) is { } pictureProblem)
        {
            problems.Add(new("INVALID_FORMAT", pictureProblem, "picture"));
        }

        foreach (var name in new[] { "user_metadata", "app_metadata" })
        {
            if (json[name] is { } metadata && UserRules.Metadata(metadata.ToJsonString()) is { } problem)
            {
                problems.Add(new("INVALID_FORMAT", problem, name));
            }
        }

        string? userId = null;
        if (json["user_id"] is { } id)
        {
            var value = (string)id!;

            // The stored id is auth0|<user_id> within the 100 characters of Users.UserId; Auth0 adds the prefix even when
            // the value already has one (auth0|auth0|…), and so does Latchkey: import-auth0 strips it from exports.
            if (value.Length is 0 or > 90 || value.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
            {
                problems.Add(new("INVALID_FORMAT", "user_id must be 1 to 90 characters without spaces or control characters", "user_id"));
            }
            else
            {
                userId = $"{IdProvider}|{value}";
            }
        }

        var passwordHash = ImportedHash(json, problems);
        return problems.Count > 0
            ? null
            : new UserImportRecord(json) { Email = display!, NormalizedEmail = normalized!, UserId = userId, PasswordHash = passwordHash };
    }

    private static string? ImportedHash(JsonObject json, List<UserImportProblem> problems)
    {
        var plain = json["password_hash"];
        var custom = json["custom_password_hash"] as JsonObject;
        if (plain is not null && custom is not null)
        {
            problems.Add(new("INVALID_FORMAT", "Only one of password_hash and custom_password_hash may be given", "custom_password_hash"));
            return null;
        }

        if (plain is not null)
        {
            var hash = (string)plain!;
            if (PasswordHashFormat.IsBcrypt(hash))
            {
                return hash;
            }

            problems.Add(new("INVALID_FORMAT", "password_hash must be a bcrypt hash ($2a$, $2b$ or $2y$)", "password_hash"));
            return null;
        }

        if (custom is null)
        {
            return null;
        }

        if (CustomPasswordHash.Parse(custom, out var problem) is { } parsed)
        {
            return parsed.ToStored();
        }

        problems.Add(new("INVALID_FORMAT", problem.Message, problem.Path));
        return null;
    }
}
