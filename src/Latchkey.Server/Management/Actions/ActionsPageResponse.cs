using System.Text.Json.Serialization;

namespace Latchkey.Server.Management.Actions;

/// <summary>Auth0's list of Actions: always paged, <c>{ total, page, per_page, actions }</c>.</summary>
internal sealed record ActionsPageResponse(
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("page")] int Page,
    [property: JsonPropertyName("per_page")] int PerPage,
    [property: JsonPropertyName("actions")] IReadOnlyList<ActionResponse> Actions);
