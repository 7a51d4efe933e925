namespace Latchkey.Server.Tenants;

public sealed class Role
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public required string Name { get; set; }

    public string? Description { get; set; }

    public List<RolePermission> Permissions { get; set; } = [];
}

public sealed class RolePermission
{
    public required string ResourceServerIdentifier { get; set; }

    public required string PermissionName { get; set; }
}
