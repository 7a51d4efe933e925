using System.Text.Json.Serialization;

namespace Latchkey.Server.Management.Actions;

/// <summary>A secret as Auth0 answers it: the name and when it changed, never the value.</summary>
internal sealed record ActionSecretResponse(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("updated_at")] string UpdatedAt);
