namespace Latchkey.AspNetCore;

/// <summary>Names shared by the authentication handler, the authorization helpers and the configuration.</summary>
public static class LatchkeyDefaults
{
    /// <summary>The scheme name. "Bearer", so <c>[Authorize]</c> and <c>RequireAuthorization()</c> find it by default.</summary>
    public const string AuthenticationScheme = "Bearer";

    /// <summary>The configuration section the options bind from (<c>Latchkey:Authority</c>, <c>Latchkey:Audience</c>).</summary>
    public const string ConfigurationSection = "Latchkey";

    /// <summary>Space-separated scopes (RFC 8693 §4.2, RFC 9068 §2.2.3); Auth0 also accepts an array.</summary>
    public const string ScopeClaim = "scope";

    /// <summary>Auth0 RBAC permissions: a JSON array of strings.</summary>
    public const string PermissionsClaim = "permissions";
}
