using Latchkey.Server.Logs;
using Latchkey.Server.Sessions;
using Latchkey.Server.Tenants;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Latchkey.Server.Protocol.Logout;

/// <summary>
/// The end-session passthrough action for both logout dialects. OpenIddict has already validated <c>client_id</c>,
/// <c>id_token_hint</c> (signature; expired hints are accepted) and the redirect target (an exact match against the
/// Application's allowed logout URLs — <c>returnTo</c> is mapped by <see cref="MapReturnToParameter"/>); a target that
/// fails those checks never reaches this action and ends on the error page. The session cookie is always cleared first;
/// never a confirmation prompt (Auth0 logs out immediately, and the SDKs expect it).
/// <list type="bullet">
/// <item><c>/v2/logout</c> (Auth0): redirect to <c>returnTo</c>; without one, to the Application's first allowed logout
/// URL, or the logged-out page.</item>
/// <item><c>/oidc/logout</c> (OIDC RP-Initiated Logout 1.0 §2–3): redirect to <c>post_logout_redirect_uri</c> (with
/// <c>state</c>) only when a valid <c>id_token_hint</c> came with it; otherwise the logged-out page, as the
/// conformance suite expects of an OP that does not ask the user for confirmation.</item>
/// </list>
/// </summary>
internal sealed class LogoutEndpoint(TenantCache tenants, TenantLog log)
{
    public async Task<IResult> HandleAsync(HttpContext http)
    {
        var request = http.GetOpenIddictServerRequest();
        if (request is null)
        {
            return Results.BadRequest();
        }

        // Auth0 records slo for every logout, with the user when a session was open.
        var session = await http.AuthenticateAsync(SessionDefaults.AuthenticationScheme);
        log.Write(LogEntry.For(http, LogEventTypes.SuccessLogout) with
        {
            ClientId = request.ClientId,
            UserId = session.Principal?.FindFirst(Claims.Subject)?.Value,
        });
        await http.SignOutAsync(SessionDefaults.AuthenticationScheme);

        if (MapReturnToParameter.IsAuth0LogoutPath(http.Request.Path))
        {
            if (!string.IsNullOrEmpty(request.PostLogoutRedirectUri))
            {
                return Results.SignOut(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
            }

            var tenant = await tenants.GetAsync(http.RequestAborted);
            if (request.ClientId is { Length: > 0 } clientId
                && tenant.Applications.TryGetValue(clientId, out var application)
                && application.AllowedLogoutUrls.FirstOrDefault(u => Uri.TryCreate(u, UriKind.Absolute, out _)) is { } first)
            {
                // Auth0: without returnTo, the first allowed logout URL of the application.
                return Results.Redirect(first);
            }

            return LoggedOutPage.Result;
        }

        if (!string.IsNullOrEmpty(request.PostLogoutRedirectUri) && !string.IsNullOrEmpty(request.IdTokenHint)
            && await IsHintForRedirectTargetAsync(http, request.ClientId, request.PostLogoutRedirectUri))
        {
            return Results.SignOut(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        return LoggedOutPage.Result;
    }

    /// <summary>
    /// The hint must be a genuine ID token (OpenIddict lets a hint that fails validation through as an empty, unauthenticated
    /// principal, so "present" is not enough), issued to the Application whose logout URL this is (RP-Initiated Logout §2:
    /// the hint identifies the RP), and for a <c>client_id</c>, if sent, among its audiences.
    /// </summary>
    private async Task<bool> IsHintForRedirectTargetAsync(HttpContext http, string? clientId, string postLogoutRedirectUri)
    {
        var hint = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        if (hint.Principal is not { Identity.IsAuthenticated: true } principal || principal.GetClaim(Claims.Subject) is null)
        {
            return false;
        }

        var audiences = principal.GetAudiences();
        var tenant = await tenants.GetAsync(http.RequestAborted);
        return audiences
            .Where(audience => string.IsNullOrEmpty(clientId) || string.Equals(audience, clientId, StringComparison.Ordinal))
            .Any(audience => tenant.Applications.TryGetValue(audience, out var application)
                && application.AllowedLogoutUrls.Contains(postLogoutRedirectUri, StringComparer.Ordinal));
    }
}
