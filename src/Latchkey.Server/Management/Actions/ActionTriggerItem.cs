using System.Text.Json.Serialization;

namespace Latchkey.Server.Management.Actions;

/// <summary>Auth0's <c>{ "id": "post-login", "version": "v3" }</c>, in requests and answers.</summary>
internal sealed record ActionTriggerItem(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("version")] string? Version = null);
