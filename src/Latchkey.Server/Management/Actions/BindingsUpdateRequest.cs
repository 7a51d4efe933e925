using System.Text.Json.Serialization;

namespace Latchkey.Server.Management.Actions;

/// <summary>
/// Auth0's <c>PATCH /actions/triggers/{triggerId}/bindings</c> body: the whole flow, in order. Each item names its
/// Action by <c>ref: { type: "action_id" | "action_name" | "binding_id", value }</c>.
/// </summary>
internal sealed record BindingsUpdateRequest
{
    [JsonPropertyName("bindings")]
    public required List<BindingUpdateItem> Bindings { get; init; }
}

/// <summary>One item of <see cref="BindingsUpdateRequest"/>.</summary>
internal sealed record BindingUpdateItem
{
    [JsonPropertyName("ref")]
    public required BindingRef Ref { get; init; }

    [JsonPropertyName("display_name")]
    public string? DisplayName { get; init; }
}

/// <summary>How a binding names its Action.</summary>
internal sealed record BindingRef(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("value")] string Value);
