using System.Text.Json.Serialization;

namespace Latchkey.Server.Management.Actions;

/// <summary>Auth0's <c>POST /api/v2/actions/actions</c> body; <c>deploy: true</c> deploys at once.</summary>
internal sealed record ActionCreateRequest
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("supported_triggers")]
    public required List<ActionTriggerItem> SupportedTriggers { get; init; }

    [JsonPropertyName("code")]
    public string Code { get; init; } = string.Empty;

    [JsonPropertyName("runtime")]
    public string? Runtime { get; init; }

    [JsonPropertyName("dependencies")]
    public List<ActionDependencyItem> Dependencies { get; init; } = [];

    [JsonPropertyName("secrets")]
    public List<ActionSecretItem> Secrets { get; init; } = [];

    [JsonPropertyName("deploy")]
    public bool Deploy { get; init; }
}
