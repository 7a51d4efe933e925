using Microsoft.AspNetCore.Authorization;

namespace Latchkey.AspNetCore.Authorization;

/// <summary>
/// Every listed permission must be in the token's <c>permissions</c> array (Auth0 RBAC "Add Permissions in the
/// Access Token"), like express-oauth2-jwt-bearer's <c>claimIncludes('permissions', …)</c>.
/// </summary>
public sealed class PermissionRequirement : AuthorizationHandler<PermissionRequirement>, IAuthorizationRequirement
{
    private readonly string _joined;

    public PermissionRequirement(params string[] permissions)
    {
        Permissions = ClaimValues.Validate(permissions, nameof(permissions));
        _joined = string.Join(' ', Permissions);
    }

    public IReadOnlyList<string> Permissions { get; }

    public override string ToString() => $"Permission: {_joined}";

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, PermissionRequirement requirement)
    {
        foreach (var permission in requirement.Permissions)
        {
            if (!ClaimValues.HasValue(context.User, LatchkeyDefaults.PermissionsClaim, permission))
            {
                InsufficientScope.Record(context, requirement._joined);
                return Task.CompletedTask;
            }
        }

        context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
