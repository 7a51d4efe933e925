using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;

namespace Latchkey.AspNetCore.Authorization;

/// <summary><c>RequireScope</c>/<c>RequirePermission</c> for policies, endpoints and route groups.</summary>
public static class LatchkeyAuthorizationExtensions
{
    /// <summary>In a policy: every listed scope must be granted.</summary>
    public static AuthorizationPolicyBuilder RequireScope(this AuthorizationPolicyBuilder policy, params string[] scopes)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return policy.RequireAuthenticatedUser().AddRequirements(new ScopeRequirement(scopes));
    }

    /// <summary>In a policy: every listed permission must be in the token's <c>permissions</c>.</summary>
    public static AuthorizationPolicyBuilder RequirePermission(this AuthorizationPolicyBuilder policy, params string[] permissions)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return policy.RequireAuthenticatedUser().AddRequirements(new PermissionRequirement(permissions));
    }

    /// <summary>On an endpoint or a route group: authenticated, and every listed scope granted.</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, params string[] scopes)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.RequireAuthorization(new RequireScopeAttribute(scopes));
    }

    /// <summary>On an endpoint or a route group: authenticated, and every listed permission granted.</summary>
    public static TBuilder RequirePermission<TBuilder>(this TBuilder builder, params string[] permissions)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.RequireAuthorization(new RequirePermissionAttribute(permissions));
    }
}
