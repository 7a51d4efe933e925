using System.Collections.Immutable;
using Latchkey.Server.Logs;
using Latchkey.Server.Protocol.Audience;
using Latchkey.Server.Protocol.UserTokens;
using Latchkey.Server.Sessions;
using Latchkey.Server.Tenants;
using Latchkey.Server.Users;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Latchkey.Server.Protocol.Authorize;

/// <summary>
/// The <c>/authorize</c> passthrough action. OpenIddict has already validated the client, the redirect_uri, the
/// response type/mode, PKCE and the nonce; this decides who the user is and what they get:
/// <list type="number">
/// <item>Auth0's <c>audience</c> names a known API (<see cref="AudienceResolver.ForAuthorization"/>), else
/// <c>access_denied</c> / <c>Service not found: …</c> back to the client.</item>
/// <item>The login session (<see cref="SessionDefaults.AuthenticationScheme"/>) exists, belongs to a user that still
/// exists, and is fresh enough for <c>prompt=login</c> / <c>max_age</c> (OIDC Core §3.1.2.1); otherwise the browser
/// goes to the login page and comes back here — or, for <c>prompt=none</c>, <c>login_required</c> / "Login required"
/// (Auth0's text) goes back through the requested response mode.</item>
/// <item>A blocked user gets Auth0's <c>unauthorized</c> / <c>user is blocked</c>; anyone else gets the principal from
/// <see cref="UserTokenPrincipal"/> (scopes, permissions, claims, lifetimes — the implicit flow's capped).</item>
/// </list>
/// </summary>
internal sealed class AuthorizeEndpoint(
    TenantCache tenants,
    UserTokenPrincipal principals,
    UserAccess users,
    ReauthenticationMarker reauthentication,
    TenantLog log,
    TimeProvider time)
{
    public async Task<IResult> HandleAsync(HttpContext http)
    {
        var request = http.GetOpenIddictServerRequest();
        if (request is null || string.IsNullOrEmpty(request.ClientId))
        {
            // Only reachable if the route is hit without OpenIddict having handled the request first.
            return Results.BadRequest();
        }

        var cancellationToken = http.RequestAborted;
        var tenant = await tenants.GetAsync(cancellationToken);
        var audience = AudienceResolver.ForAuthorization(request, tenant);
        if (!audience.Succeeded)
        {
            return Error(audience.Error!, audience.ErrorDescription!);
        }

        var session = await http.AuthenticateAsync(SessionDefaults.AuthenticationScheme);
        var sessionPrincipal = session.Succeeded ? session.Principal : null;
        var sessionId = sessionPrincipal?.FindFirst(SessionDefaults.SessionIdClaim)?.Value;
        var issuedUtc = session.Succeeded ? session.Properties?.IssuedUtc : null;

        var (user, denial) = await users.FindAsync(sessionPrincipal?.FindFirst(Claims.Subject)?.Value, cancellationToken);
        if (sessionPrincipal is not null && denial == UserDenial.Unknown)
        {
            // The session outlived its user (deleted): end it, as if there were none.
            await http.SignOutAsync(SessionDefaults.AuthenticationScheme);
            sessionPrincipal = null;
            sessionId = null;
            issuedUtc = null;
        }

        if (user is null || !IsFreshEnough(request, sessionId, issuedUtc) || await HintNamesAnotherUserAsync(http, request, user, sessionId, issuedUtc))
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                // OIDC Core §3.1.2.6; Auth0's description, which auth0-spa-js passes to the app as is.
                RecordSilentAuth(http, request, user?.UserId, "Login required");
                return Error(Errors.LoginRequired, "Login required");
            }

            return Results.Challenge(
                new AuthenticationProperties { RedirectUri = ReturnUrl(http, request, reauthentication.Create(sessionId, issuedUtc)) },
                [SessionDefaults.AuthenticationScheme]);
        }

        // Auth0 answers a blocked user with this exact pair; auth0-spa-js logs out locally on "user is blocked".
        if (denial == UserDenial.Blocked)
        {
            RecordSilentAuth(http, request, user.UserId, UserAccess.BlockedDescription);
            return Error("unauthorized", UserAccess.BlockedDescription);
        }

        if (!tenant.Applications.TryGetValue(request.ClientId, out var application))
        {
            return Error(Errors.UnauthorizedClient, "Unknown client.");
        }

        var result = await principals.CreateAsync(
            new UserTokenRequest(
                user,
                application,
                audience.Api,
                request.GetScopes(),
                IsImplicit(request) ? GrantTypes.Implicit : GrantTypes.AuthorizationCode,
                issuedUtc ?? time.GetUtcNow(),
                sessionId),
            cancellationToken);

        RecordSilentAuth(http, request, user.UserId, result.Principal is null ? result.ErrorDescription ?? result.Error : null);
        return result.Principal is { } principal
            ? Results.SignIn(principal, properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)
            : Error(result.Error!, result.ErrorDescription!);
    }

    /// <summary>Auth0 logs <c>prompt=none</c> answers as silent authentication: <c>ssa</c>, or <c>fsa</c> with the reason.</summary>
    private void RecordSilentAuth(HttpContext http, OpenIddictRequest request, string? userId, string? failure)
    {
        if (request.HasPromptValue(PromptValues.None))
        {
            log.Write(LogEntry.For(http, failure is null ? LogEventTypes.SuccessSilentAuth : LogEventTypes.FailedSilentAuth) with
            {
                ClientId = request.ClientId,
                UserId = userId,
                Description = failure,
            });
        }
    }

    /// <summary>
    /// OIDC Core §3.1.2.1: <c>prompt=login</c> demands a new login; <c>max_age</c> demands one no older than that many
    /// seconds. Either is met by a login made after this request sent the browser to the login page.
    /// </summary>
    private bool IsFreshEnough(OpenIddictRequest request, string? sessionId, DateTimeOffset? issuedUtc)
    {
        if (reauthentication.IsSatisfiedBy((string?)request[ReauthenticationMarker.Parameter], sessionId, issuedUtc))
        {
            return true;
        }

        if (request.HasPromptValue(PromptValues.Login))
        {
            return false;
        }

        if (request.MaxAge is long maxAge)
        {
            if (issuedUtc is null)
            {
                return false;
            }

            var age = time.GetUtcNow() - issuedUtc.Value;
            return age <= TimeSpan.FromSeconds(Math.Max(0, maxAge));
        }

        return true;
    }

    /// <summary>
    /// OIDC Core §3.1.2.1 <c>id_token_hint</c>: when the hint (validated by OpenIddict) names a different user than the
    /// session, the request is answered as if nobody were logged in — <c>login_required</c> under <c>prompt=none</c>,
    /// else a login — unless that login has just happened.
    /// </summary>
    private async Task<bool> HintNamesAnotherUserAsync(HttpContext http, OpenIddictRequest request, User user, string? sessionId, DateTimeOffset? issuedUtc)
    {
        if (string.IsNullOrEmpty(request.IdTokenHint)
            || reauthentication.IsSatisfiedBy((string?)request[ReauthenticationMarker.Parameter], sessionId, issuedUtc))
        {
            return false;
        }

        var hint = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var subject = hint.Principal?.GetClaim(Claims.Subject);
        return subject is not null && !string.Equals(subject, user.UserId, StringComparison.Ordinal);
    }

    /// <summary>
    /// The same authorization request as a local URL (the login pages redirect back to it), plus the re-authentication
    /// marker. POSTed requests come back as GET with the same parameters.
    /// </summary>
    private static string ReturnUrl(HttpContext http, OpenIddictRequest request, string marker)
    {
        var parameters = new List<KeyValuePair<string, string?>>();
        foreach (var (name, value) in request.GetParameters())
        {
            if (name == ReauthenticationMarker.Parameter)
            {
                continue;
            }

            var values = (ImmutableArray<string?>?)value;
            if (values is null)
            {
                continue;
            }

            parameters.AddRange(values.Value.Select(v => KeyValuePair.Create(name, v)));
        }

        parameters.Add(KeyValuePair.Create(ReauthenticationMarker.Parameter, (string?)marker));
        return http.Request.PathBase + http.Request.Path + QueryString.Create(parameters);
    }

    /// <summary>
    /// Implicit flow (<c>token</c> / <c>id_token</c> without <c>code</c>): legacy auth0-js only. Its tokens travel in the
    /// front channel, so <see cref="UserTokenPrincipal"/> issues no refresh token and caps the access token's lifetime
    /// (RFC 9700 §2.1.2).
    /// </summary>
    private static bool IsImplicit(OpenIddictRequest request) =>
        !request.HasResponseType(ResponseTypes.Code)
        && (request.HasResponseType(ResponseTypes.Token) || request.HasResponseType(ResponseTypes.IdToken));

    /// <summary>An OAuth error that OpenIddict delivers to the validated redirect_uri in the requested response mode.</summary>
    private static IResult Error(string error, string description) =>
        Results.Forbid(
            new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
            }),
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
