using Latchkey.Server.Tenants;
using Microsoft.AspNetCore.Authorization;

namespace Latchkey.Server.Management;

/// <summary>
/// The scopes an endpoint accepts, any one of them (Auth0: "Insufficient scope, expected any of: …"). A current-user
/// scope (<see cref="ManagementScopes.IsCurrentUserScope"/>) counts only when the route's <c>{id}</c> is the caller's
/// own <c>sub</c>. Declared per endpoint with <c>RequireManagementScope</c>; also the endpoint metadata the OpenAPI
/// document and the scope-matrix test read.
/// </summary>
internal sealed class ManagementScopeRequirement(IReadOnlyList<string> scopes)
    : AuthorizationHandler<ManagementScopeRequirement>, IAuthorizationRequirement
{
    /// <summary>The route value a current-user scope is bound to (<c>/users/{id}</c>).</summary>
    public const string UserIdRouteValue = "id";

    public IReadOnlyList<string> Scopes { get; } = scopes;

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ManagementScopeRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(requirement);
        var caller = ManagementCaller.From(context.User);
        var held = requirement.Scopes.Where(caller.Has).ToList();
        if (held.Any(s => !ManagementScopes.IsCurrentUserScope(s)))
        {
            context.Succeed(requirement);
        }
        else if (held.Count > 0)
        {
            // Only current-user scopes: the id in the path must be the caller's own (routing has decoded %7C to |).
            var id = (context.Resource as HttpContext)?.GetRouteValue(UserIdRouteValue) as string;
            if (!caller.IsClient && string.Equals(id, caller.Subject, StringComparison.Ordinal))
            {
                context.Succeed(requirement);
            }
            else
            {
                context.Fail(new AuthorizationFailureReason(this, OtherUserReason));
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Marks the failure "a current-user scope used on another user" for the 403 body.</summary>
    internal const string OtherUserReason = "current_user scope on another user";
}
