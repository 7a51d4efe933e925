using System.Text.Json.Serialization;
using Latchkey.Server.Tenants;

namespace Latchkey.Server.Management.ResourceServers;

/// <summary>Auth0's resource server (API) object, <c>GET /api/v2/resource-servers/{id}</c>.</summary>
internal sealed record ResourceServerResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("is_system")] bool IsSystem,
    [property: JsonPropertyName("identifier")] string Identifier,
    [property: JsonPropertyName("scopes")] IReadOnlyList<ResourceServerScope> Scopes,
    [property: JsonPropertyName("signing_alg")] string SigningAlg,
    [property: JsonPropertyName("allow_offline_access")] bool AllowOfflineAccess,
    [property: JsonPropertyName("skip_consent_for_verifiable_first_party_clients")] bool SkipConsentForVerifiableFirstPartyClients,
    [property: JsonPropertyName("token_lifetime")] int TokenLifetime,
    [property: JsonPropertyName("token_lifetime_for_web")] int TokenLifetimeForWeb,
    [property: JsonPropertyName("enforce_policies")] bool EnforcePolicies,
    [property: JsonPropertyName("token_dialect")] string TokenDialect) : IPagedItem
{
    public static string Collection => "resource_servers";

    public static ResourceServerResponse From(Api api)
    {
        ArgumentNullException.ThrowIfNull(api);
        return new ResourceServerResponse(
            ResourceServerIds.Format(api.Id),
            api.Name,
            api.IsSystem,
            api.Identifier,
            api.Scopes.Select(s => new ResourceServerScope { Value = s.Value, Description = s.Description }).ToList(),
            api.SigningAlg,
            api.AllowOfflineAccess,
            api.SkipConsentForVerifiableFirstPartyClients,
            api.TokenLifetime,
            api.TokenLifetimeForWeb,
            api.EnforcePolicies,
            api.TokenDialect);
    }
}

/// <summary>One permission of an API, in requests and answers: <c>{"value", "description"}</c>.</summary>
internal sealed record ResourceServerScope
{
    [JsonPropertyName("value")]
    public required string Value { get; init; }

    [JsonPropertyName("description")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Description { get; init; }
}

/// <summary>
/// Auth0's API ids are opaque strings; Latchkey's are the row's GUID in 32 hex digits. Every route that takes an id
/// also takes the API's identifier, as Auth0 does.
/// </summary>
internal static class ResourceServerIds
{
    public static string Format(Guid id) => id.ToString("N");

    public static bool TryParse(string value, out Guid id) => Guid.TryParseExact(value, "N", out id);
}
