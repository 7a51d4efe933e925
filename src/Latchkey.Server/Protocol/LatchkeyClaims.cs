namespace Latchkey.Server.Protocol;

/// <summary>Claim names used by the Auth0 dialect beyond the OIDC registry.</summary>
internal static class LatchkeyClaims
{
    /// <summary>RBAC permissions of the user (or client grant) for the token's API; always a JSON array.</summary>
    public const string Permissions = "permissions";

    /// <summary>
    /// Private marker (no destination): the token's API has RBAC with the <c>access_token_authz</c> dialect, so the
    /// access token carries <c>permissions</c> even when empty.
    /// </summary>
    public const string PermissionsEnabled = "lk_perms";

    /// <summary>Auth0's grant-type marker on client_credentials tokens.</summary>
    public const string GrantType = "gty";

    /// <summary>
    /// Private (no destination) claim carried inside refresh tokens only: the unix time the refresh-token family
    /// started, so the client's absolute lifetime is not extended by rotation (Auth0 semantics).
    /// </summary>
    public const string FamilyCreatedAt = "lk_rt_family_iat";
}
