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

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>Public clients (RFC 6749 §2.1) hold no secret: Auth0's <c>spa</c> and <c>native</c>.</summary>
    public bool IsPublic => AppTypes.IsPublic(AppType);
}
