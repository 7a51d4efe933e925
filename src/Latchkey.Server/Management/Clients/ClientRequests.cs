using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Latchkey.Server.Management.Clients;

/// <summary>
/// Auth0's <c>POST /api/v2/clients</c> body: <c>name</c> is required, every other member takes the Application's
/// default when it is not sent. The <c>client_id</c> and secret are generated (Auth0 refuses a chosen <c>client_id</c>
/// too); Auth0 members Latchkey does not implement (<c>addons</c>, <c>logo_uri</c>, <c>organization_usage</c>…) are
/// refused as unknown.
/// </summary>
internal sealed record ClientCreateRequest : ClientMembers
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }
}

/// <summary>
/// Auth0's <c>PATCH /api/v2/clients/{id}</c> body: every member optional, only those sent change.
/// <c>client_secret</c> needs <c>update:client_keys</c>; <c>client_metadata</c> merges (a key set to null is removed).
/// </summary>
internal sealed record ClientUpdateRequest : ClientMembers
{
    [JsonPropertyName("name")]
    public string Name { get; init; } = string.Empty;

    /// <summary>A secret chosen by the administrator (at least 32 characters); <c>rotate-secret</c> generates one.</summary>
    [JsonPropertyName("client_secret")]
    public string ClientSecret { get; init; } = string.Empty;
}

/// <summary>The members an Application's create and update bodies share.</summary>
internal abstract record ClientMembers
{
    [JsonPropertyName("description")]
    public string Description { get; init; } = string.Empty;

    /// <summary><c>spa</c>, <c>native</c>, <c>regular_web</c> (the default) or <c>non_interactive</c>.</summary>
    [JsonPropertyName("app_type")]
    public string AppType { get; init; } = string.Empty;

    [JsonPropertyName("is_first_party")]
    public bool IsFirstParty { get; init; }

    [JsonPropertyName("callbacks")]
    public List<string> Callbacks { get; init; } = [];

    [JsonPropertyName("allowed_logout_urls")]
    public List<string> AllowedLogoutUrls { get; init; } = [];

    [JsonPropertyName("web_origins")]
    public List<string> WebOrigins { get; init; } = [];

    [JsonPropertyName("allowed_origins")]
    public List<string> AllowedOrigins { get; init; } = [];

    [JsonPropertyName("grant_types")]
    public List<string> GrantTypes { get; init; } = [];

    /// <summary><c>none</c> (public applications), <c>client_secret_post</c> or <c>client_secret_basic</c>.</summary>
    [JsonPropertyName("token_endpoint_auth_method")]
    public string TokenEndpointAuthMethod { get; init; } = string.Empty;

    /// <summary><c>null</c> restores the defaults.</summary>
    [JsonPropertyName("refresh_token")]
    public ClientRefreshTokenBody? RefreshToken { get; init; }

    [JsonPropertyName("jwt_configuration")]
    public ClientJwtConfigurationBody JwtConfiguration { get; init; } = new();

    /// <summary>String values; on PATCH a <c>null</c> value removes the key.</summary>
    [JsonPropertyName("client_metadata")]
    public JsonObject ClientMetadata { get; init; } = [];
}

/// <summary>Auth0's <c>refresh_token</c> settings; <c>rotation_type</c> and <c>expiration_type</c> are required, as in Auth0.</summary>
internal sealed record ClientRefreshTokenBody
{
    [JsonPropertyName("rotation_type")]
    public required string RotationType { get; init; }

    [JsonPropertyName("expiration_type")]
    public required string ExpirationType { get; init; }

    [JsonPropertyName("leeway")]
    public int? Leeway { get; init; }

    [JsonPropertyName("token_lifetime")]
    public int? TokenLifetime { get; init; }

    [JsonPropertyName("infinite_token_lifetime")]
    public bool? InfiniteTokenLifetime { get; init; }

    [JsonPropertyName("idle_token_lifetime")]
    public int? IdleTokenLifetime { get; init; }

    [JsonPropertyName("infinite_idle_token_lifetime")]
    public bool? InfiniteIdleTokenLifetime { get; init; }
}

/// <summary>
/// Auth0's <c>jwt_configuration</c>: <c>lifetime_in_seconds</c> is the ID token lifetime. <c>alg</c> (only
/// <c>RS256</c>) and <c>secret_encoded</c> (only <c>false</c>) are accepted so that an object read back from GET can be
/// sent again.
/// </summary>
internal sealed record ClientJwtConfigurationBody
{
    [JsonPropertyName("lifetime_in_seconds")]
    public int? LifetimeInSeconds { get; init; }

    [JsonPropertyName("alg")]
    public string? Alg { get; init; }

    [JsonPropertyName("secret_encoded")]
    public bool? SecretEncoded { get; init; }
}
