using Microsoft.AspNetCore.Authorization;

namespace Latchkey.AspNetCore.Authorization;

/// <summary>
/// Every listed scope must be in the token's <c>scope</c> claim (a space-separated string, or an array), like
/// express-oauth2-jwt-bearer's <c>requiredScopes</c>. Its own handler, so no service registration is needed.
/// </summary>
public sealed class ScopeRequirement : AuthorizationHandler<ScopeRequirement>, IAuthorizationRequirement
{
    private readonly string _joined;

    public ScopeRequirement(params string[] scopes)
    {
        Scopes = ClaimValues.Validate(scopes, nameof(scopes));
        _joined = string.Join(' ', Scopes);
    }

    public IReadOnlyList<string> Scopes { get; }

    public override string ToString() => $"Scope: {_joined}";

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        foreach (var scope in requirement.Scopes)
        {
            if (!ClaimValues.HasWord(context.User, LatchkeyDefaults.ScopeClaim, scope))
            {
                InsufficientScope.Record(context, requirement._joined);
                return Task.CompletedTask;
            }
        }

        context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
