using System.Globalization;
using System.Security.Claims;
using Latchkey.Server.Actions;
using Latchkey.Server.Hosting;
using Latchkey.Server.Protocol.Audience;
using Latchkey.Server.Protocol.Token;
using Latchkey.Server.Tenants;
using Latchkey.Server.Users;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Latchkey.Server.Protocol.UserTokens;

/// <summary>
/// The one place where a user's principal is built — the principal OpenIddict turns into the access token, the ID
/// token and (with <c>offline_access</c>) the refresh token — for <c>/authorize</c> (code and implicit) and for a
/// refresh at <c>/oauth/token</c>. It runs in three steps, and this is where access policies plug in:
/// <list type="number">
/// <item><b>Decide</b>: <see cref="UserGrantPolicy"/> turns the <see cref="UserTokenRequest"/> into a
/// <see cref="UserGrant"/> (scopes, RBAC permissions).</item>
/// <item><b>Actions</b>: the post-login Actions bound in the tenant run here (<see cref="PostLoginActions"/>, docs/actions.md),
/// between the decision and the principal. They may deny (the result is then an <c>access_denied</c> error, as is a
/// failing Action: fail closed), change the access token's API scopes and add custom claims to either token.</item>
/// <item><b>Build</b>: the claims and their destinations. <c>sub</c> (access + ID token); <c>azp</c> (Auth0's profile,
/// not RFC 9068's) and, for an API whose dialect adds them, <c>permissions</c> (access token); <c>auth_time</c>, <c>sid</c> and the profile claims for
/// <c>profile</c>/<c>email</c> (ID token only: SDKs read the user from the ID token, <c>/userinfo</c> reads the database);
/// resources (<c>aud</c>, <see cref="AudienceResolver.Resources"/>); the lifetimes from the API, the Application and
/// <c>Latchkey:Tokens</c>. Nonce, <c>at_hash</c> and the ID token's <c>aud</c> are OpenIddict's.</item>
/// </list>
/// Callers resolve the API (<see cref="AudienceResolver"/>) and check the user first; the result is signed in on the
/// OpenIddict scheme (authorize) or replaces the token request's principal (refresh).
/// </summary>
internal sealed class UserTokenPrincipal(TenantCache tenants, PostLoginActions actions, IOptions<LatchkeyOptions> options, TimeProvider time)
{
    /// <summary>OIDC Front-/Back-Channel Logout's session id claim; Auth0 puts it in ID tokens.</summary>
    private const string SessionClaim = "sid";

    public async ValueTask<UserTokenResult> CreateAsync(UserTokenRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var tenant = await tenants.GetAsync(cancellationToken);
        var grant = UserGrantPolicy.Decide(request, tenant);

        // event.authorization.roles: the names of the user's roles (assignments hold role keys).
        var roles = request.User.Roles.Select(r => tenant.RolesById.GetValueOrDefault(r.RoleId)?.Name).OfType<string>().ToList();
        var decisions = await actions.RunAsync(
            new PostLoginContext(request.User, roles, request.Application, request.Api, request.RequestedScopes, request.GrantType), cancellationToken);
        if (decisions is null)
        {
            return UserTokenResult.Issued(Build(request, grant, null));
        }

        // Auth0: api.access.deny ends the login with access_denied and the reason; a failing Action fails closed.
        if ((decisions.Failure?.Description ?? decisions.DenyReason) is { } refusal)
        {
            return UserTokenResult.Refused(Errors.AccessDenied, refusal);
        }

        return UserTokenResult.Issued(Build(request, grant with { Scopes = decisions.ApplyScopes(grant.Scopes, OidcScopes) }, decisions));
    }

    /// <summary>Scopes the Actions' <c>addScope</c>/<c>removeScope</c> leave alone: they decide which tokens exist.</summary>
    private static readonly HashSet<string> OidcScopes = new(StringComparer.Ordinal) { Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.OfflineAccess };

    private ClaimsPrincipal Build(UserTokenRequest request, UserGrant grant, ActionDecisions? decisions)
    {
        var (user, api) = (request.User, request.Api);
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.UserId)
            .SetClaim(Claims.AuthenticationTime, request.AuthenticatedAt.ToUnixTimeSeconds());

        // Auth0's profile names the Application in azp; RFC 9068's only in client_id, which OpenIddict always writes.
        if (api is null || !api.UsesRfc9068Profile)
        {
            identity.SetClaim(Claims.AuthorizedParty, request.Application.ClientId);
        }

        if (!string.IsNullOrEmpty(request.SessionId))
        {
            identity.SetClaim(SessionClaim, request.SessionId);
        }

        if (grant.Scopes.Contains(Scopes.Profile))
        {
            AddProfileClaims(identity, user);
        }

        if (grant.Scopes.Contains(Scopes.Email))
        {
            identity.SetClaim(Claims.Email, user.Email);
            identity.SetClaim(Claims.EmailVerified, user.EmailVerified);
        }

        if (api is not null && api.AddsPermissionsClaim)
        {
            identity.SetClaim(LatchkeyClaims.PermissionsEnabled, "true");
            foreach (var permission in grant.Permissions)
            {
                identity.AddClaim(new Claim(LatchkeyClaims.Permissions, permission));
            }
        }

        var settings = options.Value;
        identity.SetScopes(grant.Scopes);
        identity.SetResources(AudienceResolver.Resources(api, grant.Scopes.Contains(Scopes.OpenId), settings.Issuer!));
        identity.SetAccessTokenLifetime(AccessTokenLifetime(request, settings.Tokens));
        identity.SetIdentityTokenLifetime(request.Application.IdTokenLifetime is { } seconds ? TimeSpan.FromSeconds(seconds) : settings.Tokens.IdentityTokenLifetime);

        // A new refresh-token family starts now; the token endpoint carries this over on rotation.
        var now = time.GetUtcNow();
        identity.SetClaim(LatchkeyClaims.FamilyCreatedAt, now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        identity.SetRefreshTokenLifetime(RefreshTokenLifetimes.Next(request.Application.RefreshToken, now, now));
        identity.SetDestinations(DestinationsOf);
        if (decisions is not null)
        {
            ActionClaims.AddTo(identity, decisions);
        }

        return new ClaimsPrincipal(identity);
    }

    /// <summary>
    /// The API's lifetime, or Auth0's <c>/userinfo</c>-only lifetime without an API. The implicit flow's front-channel
    /// tokens get the API's <c>token_lifetime_for_web</c>, capped by the server (RFC 9700 §2.1.2), never more than the
    /// API's own lifetime.
    /// </summary>
    /// <summary>
    /// The API's lifetime (the userinfo default without one); for implicit, the shortest of it, the API's web lifetime
    /// and Latchkey's implicit cap; and never longer than the dashboard's own cap on its Management API tokens.
    /// </summary>
    private static TimeSpan AccessTokenLifetime(UserTokenRequest request, TokenOptions tokens)
    {
        var lifetime = request.Api is null ? tokens.UserInfoAccessTokenLifetime : TimeSpan.FromSeconds(request.Api.TokenLifetime);
        if (request.GrantType == GrantTypes.Implicit)
        {
            var web = request.Api is null ? tokens.ImplicitAccessTokenLifetime : TimeSpan.FromSeconds(request.Api.TokenLifetimeForWeb);
            lifetime = new[] { lifetime, web, tokens.ImplicitAccessTokenLifetime }.Min();
        }

        return DashboardDefinition.CapAccessTokenLifetime(request.Application, request.Api, lifetime);
    }

    private static void AddProfileClaims(ClaimsIdentity identity, User user)
    {
        var profile = UserProfile.Of(user);
        identity.SetClaim(Claims.Name, profile.Name);
        identity.SetClaim(Claims.Nickname, profile.Nickname);
        if (profile.Picture is not null)
        {
            identity.SetClaim(Claims.Picture, profile.Picture);
        }

        identity.SetClaim(Claims.UpdatedAt, profile.UpdatedAt);
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
