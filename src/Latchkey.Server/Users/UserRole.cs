namespace Latchkey.Server.Users;

/// <summary>
/// A role given to a user. User data, not tenant configuration: assignments are read with the user on every token
/// request (no tenant version), so a role given or taken away is seen at the very next token. The role itself (its
/// permissions) is tenant configuration in <c>Tenants/Role</c>; deleting the role deletes its assignments.
/// </summary>
public sealed class UserRole
{
    public required string UserId { get; set; }

    /// <summary>The key of <c>Tenants.Role</c> (the database id behind Auth0's <c>rol_…</c>).</summary>
    public required Guid RoleId { get; set; }
}
