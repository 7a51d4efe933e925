namespace Latchkey.Server.Tenants;

/// <summary>
/// Auth0's <c>token_dialect</c> values for an API: two access-token profiles (Auth0's and RFC 9068's), each with or
/// without the RBAC <c>permissions</c> claim.
/// </summary>
public static class TokenDialects
{
    /// <summary>Auth0's profile, scopes only.</summary>
    public const string AccessToken = "access_token";

    /// <summary>Auth0's profile plus the RBAC <c>permissions</c> claim (Auth0's "Add Permissions in the Access Token").</summary>
    public const string AccessTokenAuthz = "access_token_authz";

    /// <summary>RFC 9068's profile: <c>client_id</c> instead of <c>azp</c> (RFC 9068 §2.2).</summary>
    public const string Rfc9068Profile = "rfc9068_profile";

    /// <summary>RFC 9068's profile plus the RBAC <c>permissions</c> claim.</summary>
    public const string Rfc9068ProfileAuthz = "rfc9068_profile_authz";

    public static readonly string[] All = [AccessToken, AccessTokenAuthz, Rfc9068Profile, Rfc9068ProfileAuthz];

    /// <summary>The dialects that add <c>permissions</c> (Auth0: the two <c>_authz</c> ones).</summary>
    public static bool AddsPermissions(string dialect) => dialect is AccessTokenAuthz or Rfc9068ProfileAuthz;

    /// <summary>The dialects of RFC 9068's profile.</summary>
    public static bool IsRfc9068(string dialect) => dialect is Rfc9068Profile or Rfc9068ProfileAuthz;
}
