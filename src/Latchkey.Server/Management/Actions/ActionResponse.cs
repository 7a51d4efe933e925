using System.Text.Json.Serialization;
using Latchkey.Server.Actions;
using Latchkey.Server.Users;

namespace Latchkey.Server.Management.Actions;

/// <summary>Auth0's Action object. Secrets are listed by name only; their values are never returned.</summary>
internal sealed record ActionResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("supported_triggers")] IReadOnlyList<ActionTriggerItem> SupportedTriggers,
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("dependencies")] IReadOnlyList<ActionDependencyItem> Dependencies,
    [property: JsonPropertyName("runtime")] string Runtime,
    [property: JsonPropertyName("secrets")] IReadOnlyList<ActionSecretResponse> Secrets,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("all_changes_deployed")] bool AllChangesDeployed,
    [property: JsonPropertyName("deployed_version")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ActionVersionResponse? DeployedVersion,
    [property: JsonPropertyName("created_at")] string CreatedAt,
    [property: JsonPropertyName("updated_at")] string UpdatedAt)
{
    public static ActionResponse From(ActionDefinition action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return new ActionResponse(
            action.Id,
            action.Name,
            [.. action.SupportedTriggers.Select(t => new ActionTriggerItem(t.Id, t.Version))],
            action.Code,
            [],
            action.Runtime,
            [.. action.Secrets.Select(s => new ActionSecretResponse(s.Name, UserProfile.Timestamp(s.UpdatedAt)))],
            "built",
            action.DeployedCode == action.Code,
            action.DeployedCode is null ? null : ActionVersionResponse.From(action),
            UserProfile.Timestamp(action.CreatedAt),
            UserProfile.Timestamp(action.UpdatedAt));
    }
}
