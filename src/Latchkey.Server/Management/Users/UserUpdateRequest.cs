using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Latchkey.Server.Management.Users;

/// <summary>
/// Auth0's <c>PATCH /api/v2/users/{id}</c> body. Every member is optional and changes only when sent
/// (<see cref="ManagementBody{T}.Members"/>); <c>null</c> is accepted only for <c>picture</c> (removes it).
/// </summary>
internal sealed record UserUpdateRequest
{
    /// <summary>Merged into the stored object (docs/reference/auth0-wire.md R15.3); the only member a current-user token may send.</summary>
    [JsonPropertyName("user_metadata")]
    public JsonObject UserMetadata { get; init; } = [];

    /// <summary>Merged like <c>user_metadata</c>; administrators only.</summary>
    [JsonPropertyName("app_metadata")]
    public JsonObject AppMetadata { get; init; } = [];

    [JsonPropertyName("email")]
    public string Email { get; init; } = string.Empty;

    [JsonPropertyName("email_verified")]
    public bool EmailVerified { get; init; }

    [JsonPropertyName("name")]
    public string Name { get; init; } = string.Empty;

    [JsonPropertyName("nickname")]
    public string Nickname { get; init; } = string.Empty;

    [JsonPropertyName("given_name")]
    public string GivenName { get; init; } = string.Empty;

    [JsonPropertyName("family_name")]
    public string FamilyName { get; init; } = string.Empty;

    [JsonPropertyName("picture")]
    public string? Picture { get; init; }

    [JsonPropertyName("blocked")]
    public bool Blocked { get; init; }

    [JsonPropertyName("password")]
    public string Password { get; init; } = string.Empty;

    /// <summary>Auth0's database connection, which Auth0 clients send with email and password changes; only the default exists.</summary>
    [JsonPropertyName("connection")]
    public string Connection { get; init; } = string.Empty;
}
