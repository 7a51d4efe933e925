using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Latchkey.Server.Management;

/// <summary>
/// Writes the Management API's 403 in Auth0's shape, naming the scopes the endpoint accepts (from the failed
/// <see cref="ManagementScopeRequirement"/>). Challenges (401) go to the scheme (<see cref="ManagementAuthentication"/>);
/// every other endpoint keeps ASP.NET Core's default behaviour.
/// </summary>
internal sealed class ManagementAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if (!authorizeResult.Forbidden || context.GetEndpoint()?.Metadata.GetMetadata<ManagementEndpointMetadata>() is null)
        {
            return _default.HandleAsync(next, context, policy, authorizeResult);
        }

        var failure = authorizeResult.AuthorizationFailure;
        var problem = failure?.FailureReasons.Any(r => r.Message == ManagementScopeRequirement.OtherUserReason) == true
            ? ManagementErrors.OtherUser()
            : ManagementErrors.InsufficientScope(failure?.FailedRequirements.OfType<ManagementScopeRequirement>().SelectMany(r => r.Scopes).ToList() ?? []);
        return problem.ExecuteAsync(context);
    }
}
