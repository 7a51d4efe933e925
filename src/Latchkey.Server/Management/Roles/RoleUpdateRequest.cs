using System.Text.Json.Serialization;

namespace Latchkey.Server.Management.Roles;

/// <summary>Auth0's <c>PATCH /api/v2/roles/{id}</c> body: each member changes only when sent.</summary>
internal sealed record RoleUpdateRequest
{
    [JsonPropertyName("name")]
    public string Name { get; init; } = string.Empty;

    [JsonPropertyName("description")]
    public string Description { get; init; } = string.Empty;
}
