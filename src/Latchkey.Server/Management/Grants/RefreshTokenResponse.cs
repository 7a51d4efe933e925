using System.Text.Json.Serialization;
using Latchkey.Server.Tenants;

namespace Latchkey.Server.Management.Grants;

/// <summary>
/// Auth0's refresh-token object. Latchkey's id is the family's (the authorization's), the same through every rotation;
/// <c>idle_expires_at</c> is the current token's expiry, <c>expires_at</c> the family's absolute one (none for
/// non-expiring tokens). Auth0's <c>device</c> and <c>refresh_token_metadata</c> are not recorded.
/// </summary>
internal sealed record RefreshTokenResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("user_id")] string UserId,
    [property: JsonPropertyName("created_at")] DateTimeOffset? CreatedAt,
    [property: JsonPropertyName("idle_expires_at")] DateTimeOffset? IdleExpiresAt,
    [property: JsonPropertyName("expires_at")] DateTimeOffset? ExpiresAt,
    [property: JsonPropertyName("client_id")] string ClientId,
    [property: JsonPropertyName("session_id")] string? SessionId,
    [property: JsonPropertyName("rotating")] bool Rotating,
    [property: JsonPropertyName("resource_servers")] IReadOnlyList<RefreshTokenResourceServer> ResourceServers,
    [property: JsonPropertyName("last_exchanged_at")] DateTimeOffset? LastExchangedAt)
{
    public static RefreshTokenResponse From(GrantFamily family, TenantSnapshot tenant)
    {
        ArgumentNullException.ThrowIfNull(family);
        ArgumentNullException.ThrowIfNull(tenant);
        var policy = tenant.Applications.GetValueOrDefault(family.ClientId)?.RefreshToken ?? new RefreshTokenPolicy();
        var expires = policy.ExpirationType == ExpirationTypes.NonExpiring || family.CreatedAt is not { } created
            ? (DateTimeOffset?)null
            : created.AddSeconds(policy.TokenLifetime);
        return new RefreshTokenResponse(
            family.Id,
            family.UserId,
            family.CreatedAt,
            family.RefreshToken?.IdleExpiresAt,
            expires,
            family.ClientId,
            family.SessionId,
            policy.RotationType == RotationTypes.Rotating,
            [new RefreshTokenResourceServer(family.Audience, string.Join(' ', family.Scopes))],
            family.RefreshToken?.LastExchangedAt);
    }
}

/// <summary>Auth0's <c>resource_servers</c> item: the API and its scopes, space-separated.</summary>
internal sealed record RefreshTokenResourceServer(
    [property: JsonPropertyName("audience")] string Audience,
    [property: JsonPropertyName("scopes")] string Scopes);

/// <summary>Auth0's checkpoint page of refresh tokens: <c>{tokens, next}</c>, <c>next</c> the <c>from</c> of the following page.</summary>
internal sealed record RefreshTokenPage(
    [property: JsonPropertyName("tokens")] IReadOnlyList<RefreshTokenResponse> Tokens,
    [property: JsonPropertyName("next")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Next);
