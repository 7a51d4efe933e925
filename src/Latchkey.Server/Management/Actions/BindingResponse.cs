using System.Text.Json.Serialization;
using Latchkey.Server.Actions;
using Latchkey.Server.Users;

namespace Latchkey.Server.Management.Actions;

/// <summary>A binding of a trigger's flow, Auth0's shape (the bound Action inlined).</summary>
internal sealed record BindingResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("trigger_id")] string TriggerId,
    [property: JsonPropertyName("display_name")] string DisplayName,
    [property: JsonPropertyName("action")] ActionResponse Action,
    [property: JsonPropertyName("created_at")] string CreatedAt,
    [property: JsonPropertyName("updated_at")] string UpdatedAt)
{
    public static BindingResponse From(ActionBinding binding, ActionDefinition action)
    {
        ArgumentNullException.ThrowIfNull(binding);
        var at = UserProfile.Timestamp(binding.CreatedAt);
        return new BindingResponse(binding.Id.ToString("D"), binding.TriggerId, binding.DisplayName, ActionResponse.From(action), at, at);
    }
}
