using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Latchkey.Server.Tenants;

namespace Latchkey.Server.Management.Clients;

/// <summary>
/// Auth0's client (Application) object. Every member is optional so that <c>fields</c>/<c>include_fields</c> can leave
/// members out (<see cref="Select"/>). <c>client_secret</c> is present only in the answers of create and
/// <c>rotate-secret</c>: Latchkey keeps a hash, never the secret.
/// </summary>
internal sealed record ClientResponse : IPagedItem
{
    public static string Collection => "clients";

    [JsonPropertyName("client_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ClientId { get; init; }

    [JsonPropertyName("name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; init; }

    [JsonPropertyName("description")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Description { get; init; }

    [JsonPropertyName("app_type")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AppType { get; init; }

    [JsonPropertyName("is_first_party")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? IsFirstParty { get; init; }

    /// <summary>Latchkey speaks only OpenID Connect as specified (Auth0's "OIDC conformant" switch, always on).</summary>
    [JsonPropertyName("oidc_conformant")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? OidcConformant { get; init; }

    [JsonPropertyName("callbacks")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Callbacks { get; init; }

    [JsonPropertyName("allowed_logout_urls")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? AllowedLogoutUrls { get; init; }

    [JsonPropertyName("web_origins")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? WebOrigins { get; init; }

    [JsonPropertyName("allowed_origins")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? AllowedOrigins { get; init; }

    [JsonPropertyName("grant_types")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? GrantTypes { get; init; }

    [JsonPropertyName("token_endpoint_auth_method")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TokenEndpointAuthMethod { get; init; }

    [JsonPropertyName("refresh_token")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ClientRefreshTokenResponse? RefreshToken { get; init; }

    [JsonPropertyName("jwt_configuration")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ClientJwtConfigurationResponse? JwtConfiguration { get; init; }

    [JsonPropertyName("client_metadata")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? ClientMetadata { get; init; }

    [JsonPropertyName("client_secret")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ClientSecret { get; init; }

    /// <param name="application">The Application.</param>
    /// <param name="idTokenLifetime">The server's ID token lifetime, for an Application that does not set its own.</param>
    /// <param name="secret">The secret just generated (create, rotate-secret), or null.</param>
    public static ClientResponse From(Application application, TimeSpan idTokenLifetime, string? secret = null)
    {
        ArgumentNullException.ThrowIfNull(application);
        var refresh = application.RefreshToken;
        return new ClientResponse
        {
            ClientId = application.ClientId,
            Name = application.Name,
            Description = application.Description,
            AppType = application.AppType,
            IsFirstParty = application.IsFirstParty,
            OidcConformant = true,
            Callbacks = application.Callbacks,
            AllowedLogoutUrls = application.AllowedLogoutUrls,
            WebOrigins = application.WebOrigins,
            AllowedOrigins = application.AllowedOrigins,
            GrantTypes = application.GrantTypes,
            TokenEndpointAuthMethod = application.TokenEndpointAuthMethod,
            RefreshToken = new ClientRefreshTokenResponse(
                refresh.RotationType,
                refresh.ExpirationType,
                refresh.Leeway,
                refresh.TokenLifetime,
                refresh.ExpirationType == ExpirationTypes.NonExpiring,
                refresh.IdleTokenLifetime,
                false),
            JwtConfiguration = new ClientJwtConfigurationResponse(application.IdTokenLifetime ?? (int)idTokenLifetime.TotalSeconds, "RS256", false),
            ClientMetadata = application.ClientMetadata,
            ClientSecret = secret,
        };
    }

    /// <summary>
    /// Auth0's <c>fields</c>/<c>include_fields</c>: only the listed top-level members (<paramref name="include"/>), or
    /// all but them. Unknown names select nothing, as in Auth0.
    /// </summary>
    public ClientResponse Select(IReadOnlySet<string> fields, bool include) => ManagementJson.SelectFields(this, fields, include);
}

/// <summary>Auth0's <c>refresh_token</c> object. Latchkey's non-expiring tokens are those with an infinite lifetime; every token has an idle lifetime.</summary>
internal sealed record ClientRefreshTokenResponse(
    [property: JsonPropertyName("rotation_type")] string RotationType,
    [property: JsonPropertyName("expiration_type")] string ExpirationType,
    [property: JsonPropertyName("leeway")] int Leeway,
    [property: JsonPropertyName("token_lifetime")] int TokenLifetime,
    [property: JsonPropertyName("infinite_token_lifetime")] bool InfiniteTokenLifetime,
    [property: JsonPropertyName("idle_token_lifetime")] int IdleTokenLifetime,
    [property: JsonPropertyName("infinite_idle_token_lifetime")] bool InfiniteIdleTokenLifetime);

/// <summary>Auth0's <c>jwt_configuration</c>: the ID token lifetime and algorithm.</summary>
internal sealed record ClientJwtConfigurationResponse(
    [property: JsonPropertyName("lifetime_in_seconds")] int LifetimeInSeconds,
    [property: JsonPropertyName("alg")] string Alg,
    [property: JsonPropertyName("secret_encoded")] bool SecretEncoded);
