using System.Security.Claims;
using Latchkey.Server.Actions;
using Latchkey.Server.Protocol.Audience;
using Latchkey.Server.Tenants;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Protocol.Token;

/// <summary>
/// Issues the client_credentials access token the way Auth0 does: <c>sub</c> = <c>&lt;client_id&gt;@clients</c>,
/// <c>gty</c> = <c>client-credentials</c>, <c>azp</c> = the client, <c>aud</c> = the API, <c>scope</c> = the requested
/// scopes narrowed to the client grant (all granted scopes when none are asked for), <c>permissions</c> = the same
/// scopes when the API's dialect adds permissions (Auth0: an M2M token's permissions are its client grant's scopes,
/// never a user's), lifetime = the API's token lifetime. No refresh or ID token. RFC 9068 dialects leave out
/// <c>azp</c> (<c>client_id</c> names the client). The
/// credentials-exchange Actions bound in the tenant run before the token is built (<see cref="CredentialsExchangeActions"/>):
/// they may add custom claims or deny (Auth0's <c>api.access.deny(code, reason)</c>); a failing Action fails closed.
/// </summary>
internal sealed class HandleClientCredentialsGrant(TenantCache tenants, CredentialsExchangeActions actions) : IOpenIddictServerHandler<HandleTokenRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleTokenRequestContext>()
            .UseSingletonHandler<HandleClientCredentialsGrant>()
            .SetOrder(OpenIddictServerHandlers.Exchange.AttachPrincipal.Descriptor.Order + 1000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(HandleTokenRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Request.IsClientCredentialsGrantType())
        {
            return;
        }

        var decision = context.Transaction.GetProperty<AudienceDecision>(ValidateClientCredentialsAudience.DecisionProperty);
        if (decision is not { Api: { } api, Grant: { } grant })
        {
            throw new InvalidOperationException("The client grant was not validated.");
        }

        var clientId = context.Request.ClientId!;

        var requested = context.Request.GetScopes();
        var scopes = requested.IsDefaultOrEmpty
            ? grant.Scope.Distinct(StringComparer.Ordinal).ToList()
            : requested.Where(scope => grant.Scope.Contains(scope, StringComparer.Ordinal)).ToList();

        var decisions = (await tenants.GetAsync(context.CancellationToken)).Applications.TryGetValue(clientId, out var application)
            ? await actions.RunAsync(application, api, scopes, context.CancellationToken)
            : null;
        if (decisions is not null && (decisions.Failure?.Description ?? decisions.DenyReason) is { } refusal)
        {
            context.Reject(decisions.Failure is null ? decisions.DenyCode ?? Errors.AccessDenied : Errors.AccessDenied, refusal);
            return;
        }

        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, clientId + "@clients")
            .SetClaim(LatchkeyClaims.GrantType, "client-credentials");

        // Auth0's profile names the client in azp; RFC 9068's only in client_id, which OpenIddict always writes.
        if (!api.UsesRfc9068Profile)
        {
            identity.SetClaim(Claims.AuthorizedParty, clientId);
        }

        if (api.AddsPermissionsClaim)
        {
            identity.SetClaim(LatchkeyClaims.PermissionsEnabled, "true");
            foreach (var scope in scopes)
            {
                identity.AddClaim(new Claim(LatchkeyClaims.Permissions, scope));
            }
        }

        identity.SetScopes(scopes);
        identity.SetResources(api.Identifier);
        identity.SetAccessTokenLifetime(TimeSpan.FromSeconds(api.TokenLifetime));
        identity.SetDestinations(static _ => [Destinations.AccessToken]);
        if (decisions is not null)
        {
            ActionClaims.AddTo(identity, decisions);
        }

        context.SignIn(new ClaimsPrincipal(identity));
    }
}
