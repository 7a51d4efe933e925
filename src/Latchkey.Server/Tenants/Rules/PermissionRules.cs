namespace Latchkey.Server.Tenants.Rules;

/// <summary>
/// What a list of permissions may be, for roles and for users' direct permissions alike: each names an API and one of
/// its scopes (Auth0: a permission is a scope of an API), each listed once.
/// </summary>
internal static class PermissionRules
{
    /// <summary>Auth0's limit on a permission (scope) value.</summary>
    public const int MaxNameLength = 280;

    /// <summary>Everything wrong with the permissions by themselves, at <c>&lt;path&gt;[i]</c>.</summary>
    public static List<RuleProblem> Check(IReadOnlyList<PermissionDraft?> permissions, string path)
    {
        ArgumentNullException.ThrowIfNull(permissions);
        var problems = new List<RuleProblem>();
        var seen = new Dictionary<(string, string), string>();
        for (var i = 0; i < permissions.Count; i++)
        {
            if (permissions[i] is not { } permission)
            {
                continue;
            }

            var at = RulePath.Index(path, i);
            var apiProblem = permission.ResourceServerIdentifier is { } api ? ValueRules.Text(api, ApiRules.MaxIdentifierLength, required: true) : null;
            var nameProblem = permission.PermissionName is { } name ? ValueRules.Text(name, MaxNameLength, required: true) : null;
            problems.Add(RulePath.Join(at, "resource_server_identifier"), apiProblem);
            problems.Add(RulePath.Join(at, "permission_name"), nameProblem);
            if (permission is { ResourceServerIdentifier: { } id, PermissionName: { } perm } && apiProblem is null && nameProblem is null
                && !seen.TryAdd((id, perm), at))
            {
                problems.Add(at, $"duplicate (resource_server_identifier, permission_name), already defined at {seen[(id, perm)]}");
            }
        }

        return problems;
    }

    /// <summary>Each permission's API exists and defines it.</summary>
    public static List<RuleProblem> CheckReferences(IReadOnlyList<PermissionDraft?> permissions, TenantReferences tenant, string path)
    {
        ArgumentNullException.ThrowIfNull(permissions);
        var problems = new List<RuleProblem>();
        for (var i = 0; i < permissions.Count; i++)
        {
            if (permissions[i] is not { ResourceServerIdentifier: { } api, PermissionName: { } name })
            {
                continue;
            }

            var at = RulePath.Index(path, i);
            problems.AddRange(ClientGrantRules.CheckScopes(tenant, api, RulePath.Join(at, "resource_server_identifier"), [(name, RulePath.Join(at, "permission_name"))]));
        }

        return problems;
    }
}
