using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Latchkey.Server.Management.Actions;

/// <summary>Auth0's <c>POST /actions/actions/{id}/test</c> body: <c>{ "payload": { ...event } }</c>.</summary>
internal sealed record ActionTestRequest
{
    [JsonPropertyName("payload")]
    public required JsonObject Payload { get; init; }
}
