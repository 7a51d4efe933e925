using System.Text.Json.Serialization;

namespace Latchkey.Server.Management.Actions;

/// <summary>A secret in a request: <c>{ "name", "value" }</c>. Without <c>value</c>, an update keeps the stored one.</summary>
internal sealed record ActionSecretItem(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("value")] string? Value = null);
