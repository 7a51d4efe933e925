using System.Text.Json.Serialization;

namespace Latchkey.Server.Management.Actions;

/// <summary>An npm dependency as Auth0 accepts it; Latchkey refuses every one (Actions cannot load modules).</summary>
internal sealed record ActionDependencyItem(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("version")] string? Version = null,
    [property: JsonPropertyName("registry_url")] string? RegistryUrl = null);
