using System.Text.Json.Serialization;
using Latchkey.Server.Tenants;

namespace Latchkey.Server.Management.Roles;

/// <summary>
/// Auth0's permission object as <c>GET /roles/{id}/permissions</c> lists it: the API and scope, with the API's name and
/// the scope's description.
/// </summary>
internal sealed record PermissionResponse(
    [property: JsonPropertyName("resource_server_identifier")] string ResourceServerIdentifier,
    [property: JsonPropertyName("permission_name")] string PermissionName,
    [property: JsonPropertyName("resource_server_name")] string ResourceServerName,
    [property: JsonPropertyName("description")] string? Description) : IPagedItem
{
    public static string Collection => "permissions";

    /// <summary>The API's name and the scope's description from the tenant (the identifier when the API is gone).</summary>
    public static PermissionResponse From(string resourceServerIdentifier, string permissionName, TenantSnapshot tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var api = tenant.Apis.GetValueOrDefault(resourceServerIdentifier);
        return new PermissionResponse(
            resourceServerIdentifier,
            permissionName,
            api?.Name ?? resourceServerIdentifier,
            api?.Scopes.FirstOrDefault(s => string.Equals(s.Value, permissionName, StringComparison.Ordinal))?.Description);
    }
}
