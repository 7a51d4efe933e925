using System.Text.Json.Serialization;
using Latchkey.Server.Tenants.Rules;

namespace Latchkey.Server.Management.Roles;

/// <summary>
/// Auth0's body for adding or removing permissions, of a role (<c>/roles/{id}/permissions</c>) or directly of a user
/// (<c>/users/{id}/permissions</c>): <c>{"permissions":[{"resource_server_identifier","permission_name"}]}</c>.
/// </summary>
internal sealed record PermissionsRequest
{
    [JsonPropertyName("permissions")]
    public required IReadOnlyList<PermissionRequest> Permissions { get; init; }

    public List<PermissionDraft?> Drafts() =>
        Permissions.Select(p => (PermissionDraft?)new PermissionDraft(p.ResourceServerIdentifier, p.PermissionName)).ToList();
}

/// <summary>One permission: a scope (<c>permission_name</c>) of an API (<c>resource_server_identifier</c>).</summary>
internal sealed record PermissionRequest
{
    [JsonPropertyName("resource_server_identifier")]
    public required string ResourceServerIdentifier { get; init; }

    [JsonPropertyName("permission_name")]
    public required string PermissionName { get; init; }
}
