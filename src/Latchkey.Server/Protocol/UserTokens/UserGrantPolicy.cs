using Latchkey.Server.Tenants;
using Latchkey.Server.Users;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Latchkey.Server.Protocol.UserTokens;

/// <summary>
/// Decides a <see cref="UserGrant"/> the way Auth0 does. OIDC scopes (<c>openid profile email</c>) are kept.
/// <c>offline_access</c> is kept only when the API allows offline access and the Application has the
/// <c>refresh_token</c> grant, and never for the implicit flow (RFC 9700 §2.1.2: no refresh token in the front
/// channel). Other scopes are kept only when the API defines them (Auth0 drops the rest silently), and then:
/// <list type="bullet">
/// <item>RBAC (<see cref="Api.EnforcePolicies"/>): only those the user holds as permissions, through its roles or
/// directly (Auth0: the scope claim is the intersection of the requested and the assigned permissions);</item>
/// <item>the built-in Management API: the current-user scopes, and any other scope the user holds as a permission
/// (issue 9: users whose roles grant Management API permissions administer the tenant);</item>
/// <item>otherwise any defined scope.</item>
/// </list>
/// The permissions (all the user holds on the API, requested or not) go into the <c>permissions</c> claim when the
/// API's dialect asks for it (<see cref="Api.AddsPermissionsClaim"/>). Roles and direct permissions come with the
/// user, read per request (<c>Users/UserAccess</c>); role definitions come from the tenant snapshot. Post-login Actions
/// (issue 10) run after this step.
/// </summary>
internal static class UserGrantPolicy
{
    public static UserGrant Decide(UserTokenRequest request, TenantSnapshot tenant)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(tenant);
        var permissions = request.Api is null ? [] : UserPermissions(request.User, request.Api, tenant);
        return new UserGrant(GrantedScopes(request, permissions), permissions);
    }

    /// <summary>
    /// The user's permissions on the API: its roles' permissions for it and its direct ones, each once, that the API
    /// still defines (a scope removed from the API stops being granted without editing every role).
    /// </summary>
    internal static List<string> UserPermissions(User user, Api api, TenantSnapshot tenant) =>
        user.Roles
            .Select(assignment => tenant.RolesById.GetValueOrDefault(assignment.RoleId))
            .OfType<Role>()
            .SelectMany(role => role.Permissions.Select(p => (p.ResourceServerIdentifier, p.PermissionName)))
            .Concat(user.Permissions.Select(p => (p.ResourceServerIdentifier, p.PermissionName)))
            .Where(p => string.Equals(p.ResourceServerIdentifier, api.Identifier, StringComparison.Ordinal))
            .Select(p => p.PermissionName)
            .Where(name => api.Scopes.Any(s => string.Equals(s.Value, name, StringComparison.Ordinal)))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

    private static HashSet<string> GrantedScopes(UserTokenRequest request, List<string> permissions)
    {
        var api = request.Api;
        var granted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var scope in request.RequestedScopes)
        {
            if (scope is Scopes.OpenId or Scopes.Profile or Scopes.Email)
            {
                granted.Add(scope);
            }
            else if (scope == Scopes.OfflineAccess)
            {
                // Auth0: a refresh token needs "Allow Offline Access" on the API and the refresh_token grant on the app.
                if ((api is null || api.AllowOfflineAccess)
                    && request.Application.GrantTypes.Contains(GrantTypes.RefreshToken)
                    && request.GrantType != GrantTypes.Implicit)
                {
                    granted.Add(scope);
                }
            }
            else if (api is not null && api.Scopes.Any(s => string.Equals(s.Value, scope, StringComparison.Ordinal)))
            {
                var allowed = api.EnforcePolicies ? permissions.Contains(scope)
                    : !api.IsSystem || ManagementScopes.IsCurrentUserScope(scope) || permissions.Contains(scope);
                if (allowed)
                {
                    granted.Add(scope);
                }
            }
        }

        return granted;
    }
}
