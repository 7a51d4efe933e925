using System.Text.Json.Serialization;

namespace Latchkey.Server.Management.Roles;

/// <summary>Auth0's <c>POST/DELETE /api/v2/users/{id}/roles</c> body: role ids (<c>rol_…</c>).</summary>
internal sealed record UserRolesRequest
{
    [JsonPropertyName("roles")]
    public required IReadOnlyList<string> Roles { get; init; }
}
