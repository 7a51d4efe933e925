using Latchkey.Server.Actions;

namespace Latchkey.Server.Tenants.Rules;

/// <summary>
/// An Action as a tenant file (Auth0 Deploy CLI shape) or a Management API body gives it (null: not given or wrong JSON
/// type). Secret values arrive in clear text and are encrypted before they are stored.
/// </summary>
internal sealed record ActionDraft
{
    public string? Name { get; init; }

    public string? Code { get; init; }

    public string? Runtime { get; init; }

    public bool? Deployed { get; init; }

    public IReadOnlyList<ActionTriggerDraft?>? SupportedTriggers { get; init; }

    public IReadOnlyList<ActionSecretDraft?>? Secrets { get; init; }

    /// <summary>The triggers this draft (or, when it gives none, <paramref name="stored"/>) supports.</summary>
    public IEnumerable<string> TriggerIds(ActionDefinition? stored) =>
        SupportedTriggers?.Select(t => t!.Id!) ?? stored?.SupportedTriggers.Select(t => t.Id) ?? [];
}

/// <summary><c>{ "id": "post-login", "version": "v3" }</c>.</summary>
internal sealed record ActionTriggerDraft(string? Id, string? Version);

/// <summary><c>{ "name": "API_KEY", "value": "…" }</c>.</summary>
internal sealed record ActionSecretDraft(string? Name, string? Value);

/// <summary>One binding of a trigger's flow in the tenant file: <c>{ "action_name": "…", "display_name": "…" }</c>.</summary>
internal sealed record ActionBindingDraft(string? ActionName, string? DisplayName);
