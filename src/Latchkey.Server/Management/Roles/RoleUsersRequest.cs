using System.Text.Json.Serialization;

namespace Latchkey.Server.Management.Roles;

/// <summary>Auth0's <c>POST /api/v2/roles/{id}/users</c> body: the user ids to give the role.</summary>
internal sealed record RoleUsersRequest
{
    [JsonPropertyName("users")]
    public required IReadOnlyList<string> Users { get; init; }
}
