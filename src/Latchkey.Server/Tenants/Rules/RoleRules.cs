namespace Latchkey.Server.Tenants.Rules;

/// <summary>What a role may be: a name, and permissions that are scopes of existing APIs, each listed once.</summary>
internal static class RoleRules
{
    public const int MaxNameLength = 200;

    /// <summary>Everything wrong with <paramref name="role"/> by itself.</summary>
    public static List<RuleProblem> Check(RoleDraft role, string path = "")
    {
        ArgumentNullException.ThrowIfNull(role);
        var problems = new List<RuleProblem>();
        if (role.Name is { } name)
        {
            problems.Add(RulePath.Join(path, "name"), ValueRules.Text(name, MaxNameLength, required: true));
        }

        if (role.Description is { } description)
        {
            problems.Add(RulePath.Join(path, "description"), ValueRules.Text(description, ApiRules.MaxDescriptionLength, required: false));
        }

        var seen = new Dictionary<(string, string), string>();
        var permissions = role.Permissions ?? [];
        for (var i = 0; i < permissions.Count; i++)
        {
            if (permissions[i] is not { } permission)
            {
                continue;
            }

            var at = RulePath.Index(RulePath.Join(path, "permissions"), i);
            var apiProblem = permission.ResourceServerIdentifier is { } api ? ValueRules.Text(api, ApiRules.MaxIdentifierLength, required: true) : null;
            var nameProblem = permission.PermissionName is { } permissionName ? ValueRules.Text(permissionName, 280, required: true) : null;
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

    /// <summary>What is wrong with what <paramref name="role"/> names: each permission is a scope of an API.</summary>
    public static List<RuleProblem> CheckReferences(RoleDraft role, TenantReferences tenant, string path = "")
    {
        ArgumentNullException.ThrowIfNull(role);
        var problems = new List<RuleProblem>();
        var permissions = role.Permissions ?? [];
        for (var i = 0; i < permissions.Count; i++)
        {
            var at = RulePath.Index(RulePath.Join(path, "permissions"), i);
            problems.AddRange(ClientGrantRules.CheckScopes(tenant, permissions[i]!.ResourceServerIdentifier!, RulePath.Join(at, "resource_server_identifier"),
                [(permissions[i]!.PermissionName!, RulePath.Join(at, "permission_name"))]));
        }

        return problems;
    }
}
