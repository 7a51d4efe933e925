using Latchkey.Server.Tenants;
using Latchkey.Server.Users;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Latchkey.Server.Protocol.UserTokens;

/// <summary>
/// Decides a <see cref="UserGrant"/> the way Auth0 does. OIDC scopes (<c>openid profile email</c>) are kept.
/// <c>offline_access</c> is kept only when the API allows offline access and the Application has the
/// <c>refresh_token</c> grant, and never for the implicit flow (RFC 9700 §2.1.2: no refresh token in the front
/// channel). Other scopes are kept only when the API defines them (Auth0 drops the rest silently); with RBAC
/// (<see cref="Api.EnforcePolicies"/>) only those the user's roles grant as permissions, and on the built-in Management
/// API only the current-user scopes. This is the RBAC step: access policies (issue 10) extend it here.
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

    /// <summary>The user's permissions on the API: every role's permissions for it that the API still defines.</summary>
    private static List<string> UserPermissions(User user, Api api, TenantSnapshot tenant) =>
        user.Roles
            .Select(name => tenant.Roles.GetValueOrDefault(name))
            .OfType<Role>()
            .SelectMany(role => role.Permissions)
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
                // Auth0 RBAC: with policies enforced a user gets only the scopes its roles grant.
                var allowed = api.EnforcePolicies ? permissions.Contains(scope) : !api.IsSystem || ManagementScopes.IsCurrentUserScope(scope);
                if (allowed)
                {
                    granted.Add(scope);
                }
            }
        }

        return granted;
    }
}
