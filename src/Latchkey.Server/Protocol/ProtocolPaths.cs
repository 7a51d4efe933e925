namespace Latchkey.Server.Protocol;

/// <summary>Auth0's endpoint paths, relative to the issuer (which ends with a slash).</summary>
internal static class ProtocolPaths
{
    public const string Authorize = "authorize";
    public const string Token = "oauth/token";
    public const string UserInfo = "userinfo";
    public const string Revoke = "oauth/revoke";
    public const string Configuration = ".well-known/openid-configuration";
    public const string JsonWebKeySet = ".well-known/jwks.json";
    public const string Auth0Logout = "v2/logout";
    public const string OidcLogout = "oidc/logout";
}
