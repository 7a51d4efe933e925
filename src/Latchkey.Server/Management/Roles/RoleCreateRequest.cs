using System.Text.Json.Serialization;

namespace Latchkey.Server.Management.Roles;

/// <summary>Auth0's <c>POST /api/v2/roles</c> body.</summary>
internal sealed record RoleCreateRequest
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("description")]
    public string Description { get; init; } = string.Empty;
}
