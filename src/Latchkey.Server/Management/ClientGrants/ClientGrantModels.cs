using System.Text.Json.Serialization;
using Latchkey.Server.Tenants;

namespace Latchkey.Server.Management.ClientGrants;

/// <summary>Auth0's client grant object: an Application's permission to get client_credentials tokens for an API.</summary>
internal sealed record ClientGrantResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("client_id")] string ClientId,
    [property: JsonPropertyName("audience")] string Audience,
    [property: JsonPropertyName("scope")] IReadOnlyList<string> Scope) : IPagedItem
{
    public static string Collection => "client_grants";

    public static ClientGrantResponse From(ClientGrant grant)
    {
        ArgumentNullException.ThrowIfNull(grant);
        return new ClientGrantResponse(ClientGrantIds.Format(grant.Id), grant.ClientId, grant.Audience, grant.Scope);
    }
}

/// <summary>Auth0's checkpoint page (<c>from</c>/<c>take</c>): the grants and, when there are more, the <c>from</c> of the next page.</summary>
internal sealed record ClientGrantCheckpointPage(
    [property: JsonPropertyName("client_grants")] IReadOnlyList<ClientGrantResponse> ClientGrants,
    [property: JsonPropertyName("next")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Next);

/// <summary>Auth0's <c>POST /api/v2/client-grants</c> body.</summary>
internal sealed record ClientGrantCreateRequest
{
    [JsonPropertyName("client_id")]
    public required string ClientId { get; init; }

    [JsonPropertyName("audience")]
    public required string Audience { get; init; }

    /// <summary>Scopes of the API the application may ask for; none when not sent.</summary>
    [JsonPropertyName("scope")]
    public List<string> Scope { get; init; } = [];
}

/// <summary>Auth0's <c>PATCH /api/v2/client-grants/{id}</c> body: the client and audience of a grant never change.</summary>
internal sealed record ClientGrantUpdateRequest
{
    [JsonPropertyName("scope")]
    public List<string> Scope { get; init; } = [];
}

/// <summary>Auth0's client grant ids look like <c>cgr_…</c>; Latchkey's are <c>cgr_</c> and the row's GUID in 32 hex digits.</summary>
internal static class ClientGrantIds
{
    private const string Prefix = "cgr_";

    public static string Format(Guid id) => Prefix + id.ToString("N");

    public static bool TryParse(string value, out Guid id)
    {
        id = Guid.Empty;
        return value.StartsWith(Prefix, StringComparison.Ordinal) && Guid.TryParseExact(value[Prefix.Length..], "N", out id);
    }
}
