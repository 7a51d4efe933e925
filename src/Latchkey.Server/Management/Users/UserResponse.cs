using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Latchkey.Server.Users;

namespace Latchkey.Server.Management.Users;

/// <summary>Auth0's user object (Management API v2 <c>GET /api/v2/users/{id}</c>), the fields SPAs read.</summary>
internal sealed record UserResponse(
    [property: JsonPropertyName("user_id")] string UserId,
    [property: JsonPropertyName("email")] string Email,
    [property: JsonPropertyName("email_verified")] bool EmailVerified,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("nickname")] string Nickname,
    [property: JsonPropertyName("picture")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Picture,
    [property: JsonPropertyName("created_at")] string CreatedAt,
    [property: JsonPropertyName("updated_at")] string UpdatedAt,
    [property: JsonPropertyName("identities")] IReadOnlyList<UserIdentityResponse> Identities,
    [property: JsonPropertyName("user_metadata")] JsonObject UserMetadata,
    [property: JsonPropertyName("app_metadata")] JsonObject AppMetadata,
    [property: JsonPropertyName("last_login")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? LastLogin,
    [property: JsonPropertyName("logins_count")] int LoginsCount,
    [property: JsonPropertyName("blocked")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Blocked) : IPagedItem
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
            profile.Picture,
            UserProfile.Timestamp(user.CreatedAt),
            profile.UpdatedAt,
            [new UserIdentityResponse(User.Provider, separator < 0 ? user.UserId : user.UserId[(separator + 1)..], Connection, false)],
            MetadataObject.Parse(user.UserMetadata),
            MetadataObject.Parse(user.AppMetadata),
            user.LastLogin is { } last ? UserProfile.Timestamp(last) : null,
            user.LoginsCount,
            user.Blocked);
    }

}
