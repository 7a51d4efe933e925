using System.Text.Json.Serialization;

namespace Latchkey.Server.Management.Actions;

/// <summary>One trigger of <c>GET /actions/triggers</c>, Auth0's shape.</summary>
internal sealed record TriggerResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("runtimes")] IReadOnlyList<string> Runtimes,
    [property: JsonPropertyName("default_runtime")] string DefaultRuntime);
