using System.Text.Json.Serialization;

namespace Latchkey.Server.Management.Grants;

/// <summary>Auth0's grant object: what a user granted an Application for an API (note Auth0's <c>clientID</c> spelling).</summary>
internal sealed record GrantResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("clientID")] string ClientId,
    [property: JsonPropertyName("user_id")] string UserId,
    [property: JsonPropertyName("audience")] string Audience,
    [property: JsonPropertyName("scope")] IReadOnlyList<string> Scope) : IPagedItem
{
    public static string Collection => "grants";

    public static GrantResponse From(GrantFamily family)
    {
        ArgumentNullException.ThrowIfNull(family);
        return new GrantResponse(family.Id, family.ClientId, family.UserId, family.Audience, family.Scopes);
    }
}
