namespace Latchkey.Server.Tenants;

/// <summary>A named set of permissions (scopes of APIs) that users are given (Auth0 RBAC).</summary>
public sealed class Role
{
    /// <summary>Auth0's role ids read <c>rol_…</c>; ours are the prefix and the database key in hex.</summary>
    public const string IdPrefix = "rol_";

    public Guid Id { get; set; } = Guid.NewGuid();

    public required string Name { get; set; }

    public string? Description { get; set; }

    public List<RolePermission> Permissions { get; set; } = [];

    /// <summary>The id the Management API shows (<c>rol_</c> + 32 hex digits).</summary>
    public string RoleId => IdPrefix + Id.ToString("N");

    /// <summary>The database key of a <see cref="RoleId"/>; false for anything that is not one.</summary>
    public static bool TryParseId(string? roleId, out Guid id)
    {
        id = Guid.Empty;
        return roleId is { Length: 36 } && roleId.StartsWith(IdPrefix, StringComparison.Ordinal)
            && Guid.TryParseExact(roleId.AsSpan(IdPrefix.Length), "N", out id);
    }
}
