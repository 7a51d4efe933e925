using System.Text.Json.Serialization;

namespace Latchkey.Server.Management.Actions;

/// <summary>Auth0's <c>PATCH /api/v2/actions/actions/{id}</c> body: every member optional, applied only when sent.</summary>
internal sealed record ActionUpdateRequest
{
    [JsonPropertyName("name")]
    public string Name { get; init; } = string.Empty;

    [JsonPropertyName("supported_triggers")]
    public List<ActionTriggerItem> SupportedTriggers { get; init; } = [];

    [JsonPropertyName("code")]
    public string Code { get; init; } = string.Empty;

    [JsonPropertyName("runtime")]
    public string Runtime { get; init; } = string.Empty;

    [JsonPropertyName("dependencies")]
    public List<ActionDependencyItem> Dependencies { get; init; } = [];

    [JsonPropertyName("secrets")]
    public List<ActionSecretItem> Secrets { get; init; } = [];
}
