namespace Latchkey.Server.Tenants;

/// <summary>An API (OAuth: resource server). Auth0 Management API v2 name: resource server.</summary>
public sealed class Api
{
    public Guid Id { get; set; } = Guid.NewGuid();

    /// <summary>The <c>audience</c> value clients ask for; becomes the access token's <c>aud</c>.</summary>
    public required string Identifier { get; set; }

    public required string Name { get; set; }

    public List<ApiScope> Scopes { get; set; } = [];

    /// <summary>RS256, the only algorithm Latchkey signs access tokens with today.</summary>
    public string SigningAlg { get; set; } = "RS256";

    /// <summary>Access-token lifetime in seconds (Auth0 default: 86400).</summary>
    public int TokenLifetime { get; set; } = DefaultTokenLifetime;

    /// <summary>Auth0's default <c>token_lifetime</c>: one day.</summary>
    public const int DefaultTokenLifetime = 86400;

    /// <summary>
    /// Auth0 <c>token_lifetime_for_web</c>: the lifetime, in seconds, of access tokens for this API issued by the implicit
    /// flow (front channel); at most <see cref="TokenLifetime"/>. Auth0's default is 7200.
    /// </summary>
    public int TokenLifetimeForWeb { get; set; } = DefaultTokenLifetimeForWeb;

    /// <summary>Auth0's default <c>token_lifetime_for_web</c>.</summary>
    public const int DefaultTokenLifetimeForWeb = 7200;

    public bool AllowOfflineAccess { get; set; }

    /// <summary>
    /// Auth0 <c>skip_consent_for_verifiable_first_party_clients</c>. Kept for Auth0 compatibility; Latchkey never shows a
    /// consent page, so it changes nothing today.
    /// </summary>
    public bool SkipConsentForVerifiableFirstPartyClients { get; set; }

    /// <summary>Auth0 RBAC: a user gets only the requested scopes it holds as permissions (through roles or directly).</summary>
    public bool EnforcePolicies { get; set; }

    /// <summary>Auth0 <c>token_dialect</c>: one of <see cref="TokenDialects"/> (the <c>_authz</c> ones add <c>permissions</c>).</summary>
    public string TokenDialect { get; set; } = TokenDialects.AccessToken;

    /// <summary>
    /// Auth0's RBAC "Add Permissions in the Access Token": policies enforced and an <c>_authz</c> dialect, so access
    /// tokens for this API carry a <c>permissions</c> array (Auth0 offers the toggle only with RBAC enabled).
    /// </summary>
    public bool AddsPermissionsClaim => EnforcePolicies && TokenDialects.AddsPermissions(TokenDialect);

    /// <summary>Access tokens follow RFC 9068's profile (<c>client_id</c> rather than Auth0's <c>azp</c>).</summary>
    public bool UsesRfc9068Profile => TokenDialects.IsRfc9068(TokenDialect);

    /// <summary>True for the built-in Management API, which a tenant file may grant but not delete.</summary>
    public bool IsSystem { get; set; }
}

public sealed class ApiScope
{
    public required string Value { get; set; }

    public string? Description { get; set; }
}
