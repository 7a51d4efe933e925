namespace Latchkey.Server.Tenants;

/// <summary>Auth0's <c>token_dialect</c> values for an API.</summary>
public static class TokenDialects
{
    /// <summary>Scopes only.</summary>
    public const string AccessToken = "access_token";

    /// <summary>Adds the RBAC <c>permissions</c> claim (Auth0's "Add Permissions in the Access Token").</summary>
    public const string AccessTokenAuthz = "access_token_authz";

    public static readonly string[] All = [AccessToken, AccessTokenAuthz];
}
