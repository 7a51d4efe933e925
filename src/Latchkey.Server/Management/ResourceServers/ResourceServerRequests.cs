using System.Text.Json.Serialization;

namespace Latchkey.Server.Management.ResourceServers;

/// <summary>
/// Auth0's <c>POST /api/v2/resource-servers</c> body. Only <c>identifier</c> is required; a member that is not sent
/// takes the API's default (<see cref="ManagementBody{T}.Members"/>). Auth0 members Latchkey does not implement
/// (<c>signing_secret</c>, <c>token_encryption</c>, <c>proof_of_possession</c>…) are refused as unknown.
/// </summary>
internal sealed record ResourceServerCreateRequest : ResourceServerMembers
{
    [JsonPropertyName("identifier")]
    public required string Identifier { get; init; }
}

/// <summary>
/// Auth0's <c>PATCH /api/v2/resource-servers/{id}</c> body: every member optional, only those sent change.
/// <c>identifier</c> cannot be changed, so it is not a member (Auth0: "Additional properties not allowed").
/// </summary>
internal sealed record ResourceServerUpdateRequest : ResourceServerMembers;

/// <summary>The members an API's create and update bodies share.</summary>
internal abstract record ResourceServerMembers
{
    [JsonPropertyName("name")]
    public string Name { get; init; } = string.Empty;

    [JsonPropertyName("scopes")]
    public List<ResourceServerScope> Scopes { get; init; } = [];

    /// <summary>Only <c>RS256</c> (the algorithm Latchkey signs with).</summary>
    [JsonPropertyName("signing_alg")]
    public string SigningAlg { get; init; } = string.Empty;

    [JsonPropertyName("token_lifetime")]
    public int TokenLifetime { get; init; }

    [JsonPropertyName("token_lifetime_for_web")]
    public int TokenLifetimeForWeb { get; init; }

    [JsonPropertyName("allow_offline_access")]
    public bool AllowOfflineAccess { get; init; }

    [JsonPropertyName("skip_consent_for_verifiable_first_party_clients")]
    public bool SkipConsentForVerifiableFirstPartyClients { get; init; }

    [JsonPropertyName("enforce_policies")]
    public bool EnforcePolicies { get; init; }

    [JsonPropertyName("token_dialect")]
    public string TokenDialect { get; init; } = string.Empty;
}
