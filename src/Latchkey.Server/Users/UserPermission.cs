namespace Latchkey.Server.Users;

/// <summary>
/// A permission given to a user directly (Auth0's "direct" permissions, beside those from roles): a scope of an API.
/// User data like <see cref="UserRole"/>: read with the user on every token request.
/// </summary>
public sealed class UserPermission
{
    public required string UserId { get; set; }

    public required string ResourceServerIdentifier { get; set; }

    public required string PermissionName { get; set; }
}
