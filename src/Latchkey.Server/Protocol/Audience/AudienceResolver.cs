using System.Collections.Immutable;
using System.Security.Claims;
using Latchkey.Server.Tenants;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Latchkey.Server.Protocol.Audience;

/// <summary>
/// The one place that answers "which API does this request target, and may this client have it", for every grant.
/// Auth0's <c>audience</c> parameter names an API by its identifier (not RFC 8707's <c>resource</c>, not RFC 8693's
/// token-exchange audience, so OpenIddict's own checks are removed, docs/reference/openiddict.md §3); the API becomes the
/// access token's <c>aud</c> through <see cref="Resources"/>.
/// <list type="bullet">
/// <item>Authorization (code, implicit): no audience means a token for <c>/userinfo</c> only; an unknown one is Auth0's
/// <c>access_denied</c> / <c>Service not found: …</c>. Any Application may ask for any API: which scopes it gets is the
/// user grant's decision (<c>UserTokens/UserGrantPolicy</c>).</item>
/// <item>Refresh: the API recorded in the refresh token, which must still exist (docs/reference/auth0-wire.md R6.3: the
/// request carries no audience).</item>
/// <item>client_credentials: exactly one audience, a known API, and a client grant for (client, API) — Auth0's texts and
/// HTTP 403.</item>
/// </list>
/// </summary>
internal static class AudienceResolver
{
    /// <summary>Auth0's request parameter.</summary>
    public const string Parameter = "audience";

    /// <summary>The audience Auth0 adds when <c>openid</c> is granted: <c>&lt;issuer&gt;userinfo</c>.</summary>
    public static string UserInfoAudience(Uri issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        return issuer.AbsoluteUri + ProtocolPaths.UserInfo;
    }

    /// <summary>The API an authorization request (<c>/authorize</c>) asks for.</summary>
    public static AudienceDecision ForAuthorization(OpenIddictRequest request, TenantSnapshot tenant)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(tenant);
        if (((ImmutableArray<string?>?)request[Parameter])?.Length > 1)
        {
            // RFC 6749 §3.1: request parameters must not be repeated; picking one would be a guess.
            return AudienceDecision.Failure(Errors.InvalidRequest, "The 'audience' parameter must not be repeated.");
        }

        return Known(tenant, (string?)request[Parameter]);
    }

    /// <summary>The API a refresh token was issued for: its resources other than <c>&lt;issuer&gt;userinfo</c>.</summary>
    public static AudienceDecision ForRefresh(ClaimsPrincipal refreshToken, TenantSnapshot tenant, Uri issuer)
    {
        ArgumentNullException.ThrowIfNull(refreshToken);
        var userInfo = UserInfoAudience(issuer);
        return Known(tenant, refreshToken.GetResources().FirstOrDefault(resource => !string.Equals(resource, userInfo, StringComparison.Ordinal)));
    }

    /// <summary>
    /// The API and client grant of a client_credentials request. Runs after client authentication, so an
    /// unauthenticated caller learns nothing about APIs or grants.
    /// </summary>
    public static AudienceDecision ForClientCredentials(OpenIddictRequest request, string clientId, TenantSnapshot tenant)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(tenant);
        var audiences = request.GetAudiences();
        if (audiences.Length == 0)
        {
            return AudienceDecision.Failure(Errors.AccessDenied, "No audience parameter was provided, and no default audience has been configured");
        }

        if (audiences.Length > 1)
        {
            return AudienceDecision.Failure(Errors.InvalidRequest, "Only one audience may be requested.");
        }

        var audience = audiences[0];
        if (!tenant.Apis.TryGetValue(audience, out var api))
        {
            return AudienceDecision.Failure(Errors.AccessDenied, ServiceNotFound(audience));
        }

        if (!tenant.Grants.TryGetValue((clientId, audience), out var grant))
        {
            return AudienceDecision.Failure(Errors.AccessDenied,
                $"Client is not authorized to access \"{audience}\". You need to create a \"client-grant\" associated to this API. See: https://auth0.com/docs/api/v2#!/Client_Grants/post_client_grants");
        }

        return AudienceDecision.For(api, grant);
    }

    /// <summary>
    /// The access token's <c>aud</c> (OpenIddict takes it from the principal's resources): the API's identifier, plus
    /// <c>&lt;issuer&gt;userinfo</c> whenever <c>openid</c> is granted so the token also works at <c>/userinfo</c> (Auth0,
    /// docs/reference/auth0-wire.md R14.1).
    /// </summary>
    public static IEnumerable<string> Resources(Api? api, bool openIdGranted, Uri issuer)
    {
        if (api is not null)
        {
            yield return api.Identifier;
        }

        if (openIdGranted)
        {
            yield return UserInfoAudience(issuer);
        }
    }

    /// <summary>Auth0 answers an unknown audience with <c>access_denied</c> and this description.</summary>
    private static string ServiceNotFound(string audience) => $"Service not found: {audience}";

    private static AudienceDecision Known(TenantSnapshot tenant, string? audience)
    {
        if (string.IsNullOrEmpty(audience))
        {
            return AudienceDecision.For(null);
        }

        return tenant.Apis.TryGetValue(audience, out var api)
            ? AudienceDecision.For(api)
            : AudienceDecision.Failure(Errors.AccessDenied, ServiceNotFound(audience));
    }
}
