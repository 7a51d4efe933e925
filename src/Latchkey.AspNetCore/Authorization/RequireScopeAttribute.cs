using Microsoft.AspNetCore.Authorization;

namespace Latchkey.AspNetCore.Authorization;

/// <summary>
/// <c>[RequireScope("read:messages")]</c> on a controller or action: authenticated, and every listed scope granted.
/// Also the metadata behind <c>.RequireScope(…)</c> on endpoints and groups.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true, Inherited = true)]
public sealed class RequireScopeAttribute : Attribute, IAuthorizeData, IAuthorizationRequirementData
{
    private readonly ScopeRequirement _requirement;

    public RequireScopeAttribute(params string[] scopes)
    {
        _requirement = new ScopeRequirement(scopes);
    }

    public IReadOnlyList<string> Scopes => _requirement.Scopes;

    public string? Policy { get; set; }

    public string? Roles { get; set; }

    public string? AuthenticationSchemes { get; set; }

    public IEnumerable<IAuthorizationRequirement> GetRequirements()
    {
        yield return _requirement;
    }
}
