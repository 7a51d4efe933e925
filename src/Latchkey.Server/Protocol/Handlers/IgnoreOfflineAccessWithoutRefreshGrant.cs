using Latchkey.Server.Tenants;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Protocol.Handlers;

/// <summary>
/// Auth0 issues no refresh token, and no error, when an application without the <c>refresh_token</c> grant asks for
/// <c>offline_access</c> (auth0-spa-js adds it whenever <c>useRefreshTokens</c> is on). OpenIddict would reject the
/// whole authorization request, so the scope is dropped from the request before its grant-type check.
/// </summary>
internal sealed class IgnoreOfflineAccessWithoutRefreshGrant(TenantCache tenants) : IOpenIddictServerHandler<ValidateAuthorizationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateAuthorizationRequestContext>()
            .UseSingletonHandler<IgnoreOfflineAccessWithoutRefreshGrant>()
            .SetOrder(OpenIddictServerHandlers.Authentication.ValidateGrantTypePermissions.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ValidateAuthorizationRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Request.HasScope(Scopes.OfflineAccess) || string.IsNullOrEmpty(context.ClientId))
        {
            return;
        }

        var tenant = await tenants.GetAsync(context.CancellationToken);
        if (tenant.Applications.TryGetValue(context.ClientId, out var application) && !application.GrantTypes.Contains(GrantTypes.RefreshToken))
        {
            context.Request.Scope = string.Join(' ', context.Request.GetScopes().Remove(Scopes.OfflineAccess));
        }
    }
}
