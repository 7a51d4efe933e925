using Microsoft.AspNetCore.Authorization;

namespace Latchkey.AspNetCore.Authorization;

/// <summary><c>[RequirePermission("read:messages")]</c>: authenticated, and every listed permission in the token's <c>permissions</c>.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true, Inherited = true)]
public sealed class RequirePermissionAttribute : Attribute, IAuthorizeData, IAuthorizationRequirementData
{
    private readonly PermissionRequirement _requirement;

    public RequirePermissionAttribute(params string[] permissions)
    {
        _requirement = new PermissionRequirement(permissions);
    }

    public IReadOnlyList<string> Permissions => _requirement.Permissions;

    public string? Policy { get; set; }

    public string? Roles { get; set; }

    public string? AuthenticationSchemes { get; set; }

    public IEnumerable<IAuthorizationRequirement> GetRequirements()
    {
        yield return _requirement;
    }
}
