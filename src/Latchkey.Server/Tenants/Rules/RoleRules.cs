namespace Latchkey.Server.Tenants.Rules;

/// <summary>What a role may be: a name, and permissions (<see cref="PermissionRules"/>).</summary>
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

        problems.AddRange(PermissionRules.Check(role.Permissions ?? [], RulePath.Join(path, "permissions")));
        return problems;
    }

    /// <summary>What is wrong with what <paramref name="role"/> names: each permission is a scope of an API.</summary>
    public static List<RuleProblem> CheckReferences(RoleDraft role, TenantReferences tenant, string path = "")
    {
        ArgumentNullException.ThrowIfNull(role);
        return PermissionRules.CheckReferences(role.Permissions ?? [], tenant, RulePath.Join(path, "permissions"));
    }
}
