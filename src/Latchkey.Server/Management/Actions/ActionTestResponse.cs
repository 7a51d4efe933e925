using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Latchkey.Server.Management.Actions;

/// <summary>
/// The answer of <c>POST /actions/actions/{id}/test</c>: <c>{ "payload": { decisions, logs, error } }</c> — what the
/// Action decided for the given event (claims, scopes, denial, metadata), its console output and its failure, if any.
/// </summary>
internal sealed record ActionTestResponse([property: JsonPropertyName("payload")] JsonObject Payload);
