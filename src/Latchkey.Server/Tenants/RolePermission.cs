namespace Latchkey.Server.Tenants;

/// <summary>One permission of a <see cref="Role"/>: a scope (<see cref="PermissionName"/>) of an API.</summary>
public sealed class RolePermission
{
    public required string ResourceServerIdentifier { get; set; }

    public required string PermissionName { get; set; }
}
