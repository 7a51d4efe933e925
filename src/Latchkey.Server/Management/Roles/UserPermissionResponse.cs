using System.Text.Json.Serialization;

namespace Latchkey.Server.Management.Roles;

/// <summary>
/// Auth0's permission object as <c>GET /users/{id}/permissions</c> lists it: a <see cref="PermissionResponse"/> plus
/// where the user holds it from (<c>sources</c>: <c>DIRECT</c>, and one <c>ROLE</c> entry per role that grants it).
/// </summary>
internal sealed record UserPermissionResponse(
    [property: JsonPropertyName("resource_server_identifier")] string ResourceServerIdentifier,
    [property: JsonPropertyName("permission_name")] string PermissionName,
    [property: JsonPropertyName("resource_server_name")] string ResourceServerName,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("sources")] IReadOnlyList<PermissionSourceResponse> Sources) : IPagedItem
{
    public static string Collection => "permissions";
}

/// <summary>One source of a user's permission. Auth0: <c>source_type</c> <c>DIRECT</c> (empty id and name) or <c>ROLE</c>.</summary>
internal sealed record PermissionSourceResponse(
    [property: JsonPropertyName("source_id")] string SourceId,
    [property: JsonPropertyName("source_name")] string SourceName,
    [property: JsonPropertyName("source_type")] string SourceType)
{
    public static PermissionSourceResponse Direct { get; } = new(string.Empty, string.Empty, "DIRECT");
}
