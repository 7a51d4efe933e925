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

    public bool IsPublic => AppType is AppTypes.Spa or AppTypes.Native;
}

public static class AppTypes
{
    public const string Spa = "spa";
    public const string RegularWeb = "regular_web";
    public const string Native = "native";
    public const string NonInteractive = "non_interactive";

    public static readonly string[] All = [Spa, RegularWeb, Native, NonInteractive];
}

/// <summary>Auth0's per-application refresh-token settings.</summary>
public sealed class RefreshTokenPolicy
{
    /// <summary><c>rotating</c> or <c>non-rotating</c>.</summary>
    public string RotationType { get; set; } = "rotating";

    /// <summary><c>expiring</c> or <c>non-expiring</c>.</summary>
    public string ExpirationType { get; set; } = "expiring";

    /// <summary>Reuse interval in seconds. Auth0's default is 0: a replayed rotated token fails and revokes the family.</summary>
    public int Leeway { get; set; }

    /// <summary>Absolute lifetime in seconds (Auth0 default: 2592000 = 30 days).</summary>
    public int TokenLifetime { get; set; } = 2_592_000;

    /// <summary>Idle lifetime in seconds (Auth0 default: 1296000 = 15 days).</summary>
    public int IdleTokenLifetime { get; set; } = 1_296_000;
}
