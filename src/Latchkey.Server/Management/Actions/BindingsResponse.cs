using System.Text.Json.Serialization;

namespace Latchkey.Server.Management.Actions;

/// <summary><c>PATCH /actions/triggers/{triggerId}/bindings</c> answer: <c>{ bindings }</c>.</summary>
internal sealed record BindingsResponse([property: JsonPropertyName("bindings")] IReadOnlyList<BindingResponse> Bindings);
