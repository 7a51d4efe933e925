namespace Latchkey.Server.Tenants;

/// <summary>An Application (OAuth: client).</summary>
public sealed class Application
{
    public required string ClientId { get; set; }

    /// <summary>
    /// Hash of the client secret (null for public clients). Never the secret itself.
    /// </summary>
    public string? ClientSecretHash { get; set; }

    public required string Name { get; set; }

    /// <summary>Auth0 <c>description</c>: free text, at most 140 characters.</summary>
    public string? Description { get; set; }

    /// <summary><c>spa</c>, <c>regular_web</c>, <c>native</c> or <c>non_interactive</c>.</summary>
    public string AppType { get; set; } = AppTypes.Spa;

    public List<string> Callbacks { get; set; } = [];

    public List<string> AllowedLogoutUrls { get; set; } = [];

    /// <summary>Origins allowed for silent authentication (web_message) and CORS.</summary>
    public List<string> WebOrigins { get; set; } = [];

    /// <summary>Origins allowed for CORS.</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>Auth0 grant type names: authorization_code, implicit, refresh_token, client_credentials.</summary>
    public List<string> GrantTypes { get; set; } = [];

    public RefreshTokenPolicy RefreshToken { get; set; } = new();

    /// <summary>
    /// Auth0 <c>token_endpoint_auth_method</c>: <c>none</c> for public clients, <c>client_secret_post</c> or
    /// <c>client_secret_basic</c> for confidential ones (<see cref="TokenEndpointAuthMethods"/>). The token endpoint
    /// accepts either form of the secret whichever is set, as Auth0 does.
    /// </summary>
    public string TokenEndpointAuthMethod { get; set; } = TokenEndpointAuthMethods.ClientSecretPost;

    /// <summary>
    /// Auth0 <c>is_first_party</c> (default true). Kept for Auth0 compatibility; Latchkey never shows a consent page, so
    /// it changes nothing today.
    /// </summary>
    public bool IsFirstParty { get; set; } = true;

    /// <summary>
    /// Auth0 <c>jwt_configuration.lifetime_in_seconds</c>: the ID token lifetime for this application, or null for the
    /// server's <c>Latchkey:Tokens:IdentityTokenLifetime</c> (10 hours, Auth0's default).
    /// </summary>
    public int? IdTokenLifetime { get; set; }

    /// <summary>Auth0 <c>client_metadata</c>: at most 10 string properties.</summary>
    public Dictionary<string, string> ClientMetadata { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>Public clients (RFC 6749 §2.1) hold no secret: Auth0's <c>spa</c> and <c>native</c>.</summary>
    public bool IsPublic => AppTypes.IsPublic(AppType);
}
