using System.Security.Claims;
using Latchkey.Server.Protocol.Audience;
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
/// scopes when the API adds permissions, lifetime = the API's token lifetime. No refresh or ID token.
/// </summary>
internal sealed class HandleClientCredentialsGrant : IOpenIddictServerHandler<HandleTokenRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleTokenRequestContext>()
            .UseSingletonHandler<HandleClientCredentialsGrant>()
            .SetOrder(OpenIddictServerHandlers.Exchange.AttachPrincipal.Descriptor.Order + 1000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(HandleTokenRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Request.IsClientCredentialsGrantType())
        {
            return ValueTask.CompletedTask;
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

        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, clientId + "@clients")
            .SetClaim(Claims.AuthorizedParty, clientId)
            .SetClaim(LatchkeyClaims.GrantType, "client-credentials");

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

        context.SignIn(new ClaimsPrincipal(identity));
        return ValueTask.CompletedTask;
    }
}
