using System.Text.RegularExpressions;
using Latchkey.Server.Actions;

namespace Latchkey.Server.Tenants.Rules;

/// <summary>
/// What an Action may be (Auth0's limits): a name, code that compiles and loads no module (<see cref="ActionScript"/>),
/// a known runtime, supported triggers Latchkey runs, and secrets with unique identifier-like names. Bindings name an
/// Action that supports the trigger and is deployed.
/// </summary>
internal static partial class ActionRules
{
    public const int MaxNameLength = 200;
    public const int MaxSecrets = 50;
    public const int MaxSecretValueLength = 4096;

    public static List<RuleProblem> Check(ActionDraft action, string path = "", bool create = true)
    {
        ArgumentNullException.ThrowIfNull(action);
        var problems = new List<RuleProblem>();
        if (action.Name is { } name)
        {
            problems.Add(RulePath.Join(path, "name"), ValueRules.Text(name, MaxNameLength, required: true));
        }

        if (action.Code is { } code)
        {
            problems.Add(RulePath.Join(path, "code"), ActionScript.Problem(code));
        }

        if (action.Runtime is { } runtime)
        {
            problems.Add(RulePath.Join(path, "runtime"), ValueRules.OneOf(runtime, ActionRuntimes.All));
        }

        var triggers = action.SupportedTriggers;
        if (triggers is { Count: 0 } || (create && triggers is null))
        {
            problems.Add(RulePath.Join(path, "supported_triggers"), "must name at least one trigger (post-login or credentials-exchange)");
        }

        for (var i = 0; i < (triggers?.Count ?? 0); i++)
        {
            var at = RulePath.Index(RulePath.Join(path, "supported_triggers"), i);
            if (triggers![i] is { Id: { } id } trigger)
            {
                problems.Add(RulePath.Join(at, "id"), ValueRules.OneOf(id, [.. ActionTriggers.Versions.Keys]));
                if (trigger.Version is { } version && !VersionPattern().IsMatch(version))
                {
                    problems.Add(RulePath.Join(at, "version"), $"\"{version}\" is not a trigger version (v1, v2, v3)");
                }
            }
        }

        var secrets = action.Secrets ?? [];
        if (secrets.Count > MaxSecrets)
        {
            problems.Add(RulePath.Join(path, "secrets"), $"at most {MaxSecrets} secrets");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < secrets.Count; i++)
        {
            var at = RulePath.Index(RulePath.Join(path, "secrets"), i);
            if (secrets[i]?.Name is { } secretName)
            {
                if (!SecretNamePattern().IsMatch(secretName))
                {
                    problems.Add(RulePath.Join(at, "name"), $"\"{secretName}\" is not a valid secret name (letters, digits and _, not starting with a digit, at most 100)");
                }
                else if (!seen.Add(secretName))
                {
                    problems.Add(RulePath.Join(at, "name"), $"duplicate secret \"{secretName}\"");
                }
            }

            if (secrets[i]?.Value is { Length: > MaxSecretValueLength })
            {
                problems.Add(RulePath.Join(at, "value"), $"must be at most {MaxSecretValueLength} characters");
            }
        }

        return problems;
    }

    /// <summary>
    /// What is wrong with binding <paramref name="binding"/> to <paramref name="triggerId"/>: the Action exists, supports
    /// the trigger and is deployed (<paramref name="actions"/>: name → (supported trigger ids, deployed)).
    /// </summary>
    public static string? CheckBinding(string triggerId, ActionBindingDraft binding, IReadOnlyDictionary<string, (IReadOnlySet<string> Triggers, bool Deployed)> actions)
    {
        ArgumentNullException.ThrowIfNull(binding);
        ArgumentNullException.ThrowIfNull(actions);
        if (binding.ActionName is not { } name)
        {
            return null;
        }

        if (!actions.TryGetValue(name, out var action))
        {
            return $"unknown action \"{name}\"";
        }

        if (!action.Triggers.Contains(triggerId))
        {
            return $"action \"{name}\" does not support the trigger {triggerId}";
        }

        return action.Deployed ? null : $"action \"{name}\" is not deployed";
    }

    /// <summary>An npm dependency (Deploy CLI's <c>dependencies</c>, the API's body): always refused, naming the module.</summary>
    public static string Dependency(string name) =>
        $"the module \"{name}\" cannot be installed: Actions in Latchkey cannot load modules (docs/actions.md)";

    /// <summary>A trigger id of the tenant file's <c>triggers</c> object.</summary>
    public static string? Trigger(string triggerId) => ValueRules.OneOf(triggerId, [.. ActionTriggers.Versions.Keys]);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,99}$")]
    private static partial Regex SecretNamePattern();

    [GeneratedRegex("^v[1-9]$")]
    private static partial Regex VersionPattern();
}
