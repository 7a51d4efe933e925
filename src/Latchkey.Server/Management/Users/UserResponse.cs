using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Latchkey.Server.Users;

namespace Latchkey.Server.Management.Users;

/// <summary>
/// Auth0's user object (Management API v2 <c>GET /api/v2/users/{id}</c>), the fields SPAs read. Every member is
/// optional so that <c>fields</c>/<c>include_fields</c> (<see cref="Select"/>) can leave members out, as Auth0 does.
/// </summary>
internal sealed record UserResponse(
    [property: JsonPropertyName("user_id")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? UserId,
    [property: JsonPropertyName("email")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Email,
    [property: JsonPropertyName("email_verified")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? EmailVerified,
    [property: JsonPropertyName("name")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name,
    [property: JsonPropertyName("nickname")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Nickname,
    [property: JsonPropertyName("given_name")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? GivenName,
    [property: JsonPropertyName("family_name")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? FamilyName,
    [property: JsonPropertyName("picture")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Picture,
    [property: JsonPropertyName("created_at")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CreatedAt,
    [property: JsonPropertyName("updated_at")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? UpdatedAt,
    [property: JsonPropertyName("identities")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<UserIdentityResponse>? Identities,
    [property: JsonPropertyName("user_metadata")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonObject? UserMetadata,
    [property: JsonPropertyName("app_metadata")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonObject? AppMetadata,
    [property: JsonPropertyName("last_login")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? LastLogin,
    [property: JsonPropertyName("logins_count")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? LoginsCount,
    [property: JsonPropertyName("blocked")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Blocked) : IPagedItem
{
    public static string Collection => "users";

    /// <summary>Auth0's default database connection name, which SDK samples and dashboards expect.</summary>
    public const string Connection = "Username-Password-Authentication";

    public static UserResponse From(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var profile = UserProfile.Of(user);
        var separator = user.UserId.IndexOf('|', StringComparison.Ordinal);
        return new UserResponse(
            user.UserId,
            user.Email,
            user.EmailVerified,
            profile.Name,
            profile.Nickname,
            string.IsNullOrWhiteSpace(user.GivenName) ? null : user.GivenName,
            string.IsNullOrWhiteSpace(user.FamilyName) ? null : user.FamilyName,
            profile.Picture,
            UserProfile.Timestamp(user.CreatedAt),
            profile.UpdatedAt,
            // The provider is the id's prefix: latchkey for users made here, auth0 for users imported with their Auth0 id.
            [new UserIdentityResponse(separator < 0 ? User.Provider : user.UserId[..separator], separator < 0 ? user.UserId : user.UserId[(separator + 1)..], Connection, false)],
            Latchkey.Server.Users.UserMetadata.Parse(user.UserMetadata),
            Latchkey.Server.Users.UserMetadata.Parse(user.AppMetadata),
            user.LastLogin is { } last ? UserProfile.Timestamp(last) : null,
            user.LoginsCount,
            // Auth0 shows blocked only when it is true.
            user.Blocked ? true : null);
    }

    /// <summary>
    /// Auth0's <c>fields</c>/<c>include_fields</c>: only the listed top-level members (<paramref name="include"/>), or
    /// all but them. Unknown names select nothing, as in Auth0.
    /// </summary>
    public UserResponse Select(IReadOnlySet<string> fields, bool include) => ManagementJson.SelectFields(this, fields, include);
}
