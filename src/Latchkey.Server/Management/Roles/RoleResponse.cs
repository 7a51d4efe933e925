using System.Text.Json.Serialization;
using Latchkey.Server.Tenants;

namespace Latchkey.Server.Management.Roles;

/// <summary>Auth0's role object: <c>{id, name, description}</c>.</summary>
internal sealed record RoleResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("description")] string? Description) : IPagedItem
{
    public static string Collection => "roles";

    public static RoleResponse From(Role role)
    {
        ArgumentNullException.ThrowIfNull(role);
        return new RoleResponse(role.RoleId, role.Name, role.Description);
    }
}
