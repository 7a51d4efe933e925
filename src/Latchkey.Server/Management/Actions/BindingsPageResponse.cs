using System.Text.Json.Serialization;

namespace Latchkey.Server.Management.Actions;

/// <summary><c>GET /actions/triggers/{triggerId}/bindings</c>: <c>{ total, page, per_page, bindings }</c>.</summary>
internal sealed record BindingsPageResponse(
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("page")] int Page,
    [property: JsonPropertyName("per_page")] int PerPage,
    [property: JsonPropertyName("bindings")] IReadOnlyList<BindingResponse> Bindings);
