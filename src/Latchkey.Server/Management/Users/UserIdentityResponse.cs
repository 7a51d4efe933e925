using System.Text.Json.Serialization;

namespace Latchkey.Server.Management.Users;

/// <summary>One entry of Auth0's <c>identities[]</c>: the connection the user signs in with.</summary>
internal sealed record UserIdentityResponse(
    [property: JsonPropertyName("provider")] string Provider,
    [property: JsonPropertyName("user_id")] string UserId,
    [property: JsonPropertyName("connection")] string Connection,
    [property: JsonPropertyName("isSocial")] bool IsSocial);
