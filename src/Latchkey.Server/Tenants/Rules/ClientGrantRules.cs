namespace Latchkey.Server.Tenants.Rules;

/// <summary>
/// What a client grant may be: a confidential Application's permission to get client_credentials tokens for an API,
/// with scopes that API defines.
/// </summary>
internal static class ClientGrantRules
{
    /// <summary>Everything wrong with <paramref name="grant"/> by itself.</summary>
    public static List<RuleProblem> Check(ClientGrantDraft grant, string path = "")
    {
        ArgumentNullException.ThrowIfNull(grant);
        var problems = new List<RuleProblem>();
        if (grant.ClientId is { } clientId)
        {
            problems.Add(RulePath.Join(path, "client_id"), ValueRules.Text(clientId, ApplicationRules.MaxClientIdLength, required: true));
        }

        if (grant.Audience is { } audience)
        {
            problems.Add(RulePath.Join(path, "audience"), ValueRules.Text(audience, ApiRules.MaxIdentifierLength, required: true));
        }

        var scopes = grant.Scope ?? [];
        for (var i = 0; i < scopes.Count; i++)
        {
            if (scopes[i] is { } scope)
            {
                problems.Add(RulePath.Index(RulePath.Join(path, "scope"), i), ValueRules.Scope(scope));
            }
        }

        return problems;
    }

    /// <summary>What is wrong with what <paramref name="grant"/> names: the application and the API's scopes.</summary>
    public static List<RuleProblem> CheckReferences(ClientGrantDraft grant, TenantReferences tenant, string path = "")
    {
        ArgumentNullException.ThrowIfNull(grant);
        ArgumentNullException.ThrowIfNull(tenant);
        var problems = new List<RuleProblem>();
        var at = RulePath.Join(path, "client_id");
        if (!tenant.ApplicationTypes.TryGetValue(grant.ClientId!, out var appType))
        {
            problems.Add(at, $"\"{grant.ClientId}\" is not an application {tenant.Where}");
        }
        else if (AppTypes.IsPublic(appType))
        {
            problems.Add(at, $"\"{grant.ClientId}\" is a {appType} application; client grants are for confidential applications (client_credentials)");
        }

        problems.AddRange(CheckScopes(tenant, grant.Audience!, RulePath.Join(path, "audience"),
            (grant.Scope ?? []).Select((s, i) => (s!, RulePath.Index(RulePath.Join(path, "scope"), i)))));
        return problems;
    }

    /// <summary>The API exists and defines each scope (shared with role permissions).</summary>
    internal static IEnumerable<RuleProblem> CheckScopes(TenantReferences tenant, string audience, string audiencePath, IEnumerable<(string Scope, string Path)> scopes)
    {
        if (!tenant.ApiScopes.TryGetValue(audience, out var defined))
        {
            yield return new RuleProblem(audiencePath, $"\"{audience}\" is not an API {tenant.Where}");
            yield break;
        }

        foreach (var (scope, path) in scopes)
        {
            if (!defined.Contains(scope))
            {
                yield return new RuleProblem(path, $"\"{scope}\" is not a scope of API \"{audience}\"");
            }
        }
    }
}
