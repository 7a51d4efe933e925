using System.Text.Json.Serialization;
using Latchkey.Server.Actions;
using Latchkey.Server.Users;

namespace Latchkey.Server.Management.Actions;

/// <summary>Auth0's deployed Action version (the answer of <c>POST /actions/actions/{id}/deploy</c>).</summary>
internal sealed record ActionVersionResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("action_id")] string ActionId,
    [property: JsonPropertyName("number")] int Number,
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("runtime")] string Runtime,
    [property: JsonPropertyName("deployed")] bool Deployed,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("supported_triggers")] IReadOnlyList<ActionTriggerItem> SupportedTriggers,
    [property: JsonPropertyName("created_at")] string CreatedAt)
{
    public static ActionVersionResponse From(ActionDefinition action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return new ActionVersionResponse(
            $"{action.Id}.{action.DeployedVersion}",
            action.Id,
            action.DeployedVersion,
            action.DeployedCode!,
            action.Runtime,
            true,
            "built",
            [.. action.SupportedTriggers.Select(t => new ActionTriggerItem(t.Id, t.Version))],
            UserProfile.Timestamp(action.DeployedAt ?? action.UpdatedAt));
    }
}
