using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Latchkey.Server.Management.Users;

/// <summary>
/// Auth0's <c>POST /api/v2/users</c> body for a database connection: <c>connection</c>, <c>email</c> and
/// <c>password</c> are required; the rest is optional. Members Auth0 accepts for other connection types
/// (<c>phone_number</c>, <c>username</c>…) are unknown here and refused.
/// </summary>
internal sealed record UserCreateRequest
{
    /// <summary>The database connection, <c>Username-Password-Authentication</c> (the only one).</summary>
    [JsonPropertyName("connection")]
    public required string Connection { get; init; }

    [JsonPropertyName("email")]
    public required string Email { get; init; }

    /// <summary>Checked against the password policy (docs/security.md), like a sign-up.</summary>
    [JsonPropertyName("password")]
    public required string Password { get; init; }

    [JsonPropertyName("email_verified")]
    public bool EmailVerified { get; init; }

    /// <summary>
    /// Whether a verification email is sent after creation. Absent, Auth0 sends one when <see cref="EmailVerified"/> is
    /// false; given, it overrides that (<see cref="SendsVerification"/>).
    /// </summary>
    [JsonPropertyName("verify_email")]
    public bool? VerifyEmail { get; init; }

    /// <summary>Auth0's rule for the verification email on <c>POST /users</c>.</summary>
    [JsonIgnore]
    public bool SendsVerification => VerifyEmail ?? !EmailVerified;

    /// <summary>The id after the provider: the user's id becomes <c>latchkey|&lt;user_id&gt;</c> (Auth0: <c>auth0|&lt;user_id&gt;</c>).</summary>
    [JsonPropertyName("user_id")]
    public string? UserId { get; init; }

    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("nickname")]
    public string? Nickname { get; init; }

    [JsonPropertyName("given_name")]
    public string? GivenName { get; init; }

    [JsonPropertyName("family_name")]
    public string? FamilyName { get; init; }

    [JsonPropertyName("picture")]
    public string? Picture { get; init; }

    [JsonPropertyName("blocked")]
    public bool Blocked { get; init; }

    [JsonPropertyName("user_metadata")]
    public JsonObject? UserMetadata { get; init; }

    [JsonPropertyName("app_metadata")]
    public JsonObject? AppMetadata { get; init; }
}
