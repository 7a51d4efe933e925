using System.Globalization;
using System.Security.Claims;
using Latchkey.Server.Hosting;
using Latchkey.Server.Tenants;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Latchkey.Server.Protocol;

/// <summary>
/// Builds the principal that OpenIddict turns into an access token, an ID token and (for <c>offline_access</c>)
/// a refresh token for one user, one application and one API (Auth0's <c>audience</c>).
/// <para>
/// Contract (callers: the authorize action after login, and the token endpoint when a refresh reloads the user):
/// <list type="bullet">
/// <item><paramref name="user"/> is the current row from the database (the caller loads it; a missing user is the
/// caller's <c>login_required</c> / <c>invalid_grant</c>). A blocked user yields <c>unauthorized</c> /
/// <c>user is blocked</c> (Auth0's text, which auth0-spa-js matches to log out locally).</item>
/// <item><paramref name="clientId"/> must be a known Application (OpenIddict has validated it); otherwise
/// <c>unauthorized_client</c>.</item>
/// <item><paramref name="requestedScopes"/> are the raw requested scopes. OIDC scopes (<c>openid profile email</c>) are
/// kept; <c>offline_access</c> is kept only when the API allows offline access and the Application has the
/// <c>refresh_token</c> grant; other scopes are kept only when the API defines them (Auth0 drops the rest silently),
/// and under RBAC only when the user holds them as a permission.</item>
/// <item><paramref name="audience"/> (Auth0's <c>audience</c>) selects the API. Null or empty: a token for
/// <c>/userinfo</c> only. Unknown: <c>access_denied</c> / <c>Service not found: …</c> (Auth0's error).</item>
/// <item><paramref name="authenticatedAt"/> becomes <c>auth_time</c> (kept as is on refresh: pass the original).
/// <paramref name="sessionId"/> becomes <c>sid</c> in the ID token when given.</item>
/// </list>
/// The principal carries: <c>sub</c> (access + ID token), <c>azp</c> (access token), <c>permissions</c> (access
/// token, RBAC APIs with the <c>access_token_authz</c> dialect), profile claims for <c>profile</c>/<c>email</c> (ID token
/// only: SDKs read the user from the ID token; <c>/userinfo</c> reads the database), resources (<c>aud</c>) = the API
/// identifier plus <c>&lt;issuer&gt;userinfo</c> when <c>openid</c> is granted, and the lifetimes from the API and the
/// Application. Call <c>SignIn</c> on the OpenIddict scheme with it; nonce, at_hash and the ID token's <c>aud</c> are
/// OpenIddict's.
/// </para>
/// </summary>
internal sealed class UserPrincipalFactory(TenantCache tenants, IOptions<LatchkeyOptions> options, TimeProvider time)
{
    /// <summary>OIDC Front-/Back-Channel Logout's session id claim; Auth0 puts it in ID tokens.</summary>
    private const string SessionClaim = "sid";

    public async ValueTask<PrincipalResult> CreateAsync(
        User user,
        string clientId,
        IEnumerable<string> requestedScopes,
        string? audience,
        DateTimeOffset authenticatedAt,
        string? sessionId,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(requestedScopes);

        // Auth0 answers a blocked user with this exact pair; auth0-spa-js logs out locally on "user is blocked".
        if (user.Blocked)
        {
            return PrincipalResult.Failure("unauthorized", "user is blocked");
        }

        var tenant = await tenants.GetAsync(cancellationToken);
        if (!tenant.Applications.TryGetValue(clientId, out var application))
        {
            return PrincipalResult.Failure(Errors.UnauthorizedClient, "Unknown client.");
        }

        var api = default(Api);
        if (!string.IsNullOrEmpty(audience) && !tenant.Apis.TryGetValue(audience, out api))
        {
            return PrincipalResult.Failure(Errors.AccessDenied, AudienceErrors.ServiceNotFound(audience));
        }

        var permissions = api is null ? [] : UserPermissions(user, api, tenant);
        var scopes = GrantedScopes(requestedScopes, api, application, permissions);

        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.UserId)
            .SetClaim(Claims.AuthorizedParty, clientId)
            .SetClaim(Claims.AuthenticationTime, authenticatedAt.ToUnixTimeSeconds());

        if (!string.IsNullOrEmpty(sessionId))
        {
            identity.SetClaim(SessionClaim, sessionId);
        }

        if (scopes.Contains(Scopes.Profile))
        {
            AddProfileClaims(identity, user);
        }

        if (scopes.Contains(Scopes.Email))
        {
            identity.SetClaim(Claims.Email, user.Email);
            identity.SetClaim(Claims.EmailVerified, user.EmailVerified);
        }

        if (api is not null && ProtocolRules.AddsPermissionsClaim(api))
        {
            identity.SetClaim(LatchkeyClaims.PermissionsEnabled, "true");
            foreach (var permission in permissions)
            {
                identity.AddClaim(new Claim(LatchkeyClaims.Permissions, permission));
            }
        }

        identity.SetScopes(scopes);
        identity.SetResources(Resources(api, scopes));
        var lifetimes = options.Value.Tokens;
        identity.SetAccessTokenLifetime(api is null ? lifetimes.UserInfoAccessTokenLifetime : TimeSpan.FromSeconds(api.TokenLifetime));
        identity.SetIdentityTokenLifetime(lifetimes.IdentityTokenLifetime);

        // A new refresh-token family starts now; the token endpoint carries this over on rotation.
        var now = time.GetUtcNow();
        identity.SetClaim(LatchkeyClaims.FamilyCreatedAt, now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        identity.SetRefreshTokenLifetime(RefreshTokenLifetimes.Next(application.RefreshToken, now, now));
        identity.SetDestinations(DestinationsOf);

        return PrincipalResult.Success(new ClaimsPrincipal(identity));
    }

    private IEnumerable<string> Resources(Api? api, IReadOnlyCollection<string> scopes)
    {
        if (api is not null)
        {
            yield return api.Identifier;
        }

        // Auth0 adds <issuer>userinfo to aud whenever openid is granted, so the token also works at /userinfo.
        if (scopes.Contains(Scopes.OpenId))
        {
            yield return ProtocolRules.UserInfoAudience(options.Value.Issuer!);
        }
    }

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

    private static HashSet<string> GrantedScopes(IEnumerable<string> requested, Api? api, Application application, List<string> permissions)
    {
        var granted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var scope in requested)
        {
            if (scope is Scopes.OpenId or Scopes.Profile or Scopes.Email)
            {
                granted.Add(scope);
            }
            else if (scope == Scopes.OfflineAccess)
            {
                // Auth0: a refresh token needs "Allow Offline Access" on the API and the refresh_token grant on the app.
                if ((api is null || api.AllowOfflineAccess) && application.GrantTypes.Contains(GrantTypes.RefreshToken))
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

    private static void AddProfileClaims(ClaimsIdentity identity, User user)
    {
        // Auth0 defaults: name = email, nickname = the email's local part, updated_at as an ISO 8601 string.
        identity.SetClaim(Claims.Name, string.IsNullOrWhiteSpace(user.Name) ? user.Email : user.Name);
        identity.SetClaim(Claims.Nickname, string.IsNullOrWhiteSpace(user.Nickname) ? user.Email.Split('@')[0] : user.Nickname);
        if (!string.IsNullOrWhiteSpace(user.Picture))
        {
            identity.SetClaim(Claims.Picture, user.Picture);
        }

        identity.SetClaim(Claims.UpdatedAt, user.UpdatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
    }

    private static IEnumerable<string> DestinationsOf(Claim claim) => claim.Type switch
    {
        Claims.Subject => [Destinations.AccessToken, Destinations.IdentityToken],
        Claims.AuthorizedParty or LatchkeyClaims.Permissions or LatchkeyClaims.PermissionsEnabled => [Destinations.AccessToken],
        Claims.AuthenticationTime or SessionClaim or Claims.Name or Claims.Nickname or Claims.Picture
            or Claims.UpdatedAt or Claims.Email or Claims.EmailVerified => [Destinations.IdentityToken],
        _ => [],
    };
}
