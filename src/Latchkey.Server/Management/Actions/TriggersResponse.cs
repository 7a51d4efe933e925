using System.Text.Json.Serialization;

namespace Latchkey.Server.Management.Actions;

/// <summary><c>GET /actions/triggers</c>: <c>{ "triggers": [...] }</c>.</summary>
internal sealed record TriggersResponse([property: JsonPropertyName("triggers")] IReadOnlyList<TriggerResponse> Triggers);
