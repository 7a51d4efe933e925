using Latchkey.Server.Tenants;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Protocol.Authorize;

/// <summary>
/// Auth0 answers <c>offline_access</c> from an Application without the <c>refresh_token</c> grant by issuing no refresh
/// token, and no error; OpenIddict would reject the whole request ("not allowed to use the 'offline_access' scope").
/// auth0-spa-js adds the scope whenever <c>useRefreshTokens</c> is on and auth0.js configurations routinely ask for it
/// (e.g. a legacy implicit app), so the scope is dropped from the request before any of OpenIddict's validation runs.
/// The Application's grant types decide, as in Auth0.
/// </summary>
internal sealed class DropUngrantedOfflineAccess(TenantCache tenants) : IOpenIddictServerHandler<ValidateAuthorizationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateAuthorizationRequestContext>()
            .UseSingletonHandler<DropUngrantedOfflineAccess>()
            .SetOrder(int.MinValue + 50_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ValidateAuthorizationRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        var request = context.Request;
        if (string.IsNullOrEmpty(request.ClientId) || !request.HasScope(Scopes.OfflineAccess))
        {
            return;
        }

        var tenant = await tenants.GetAsync(context.CancellationToken);
        if (tenant.Applications.TryGetValue(request.ClientId, out var application)
            && !application.GrantTypes.Contains(GrantTypes.RefreshToken, StringComparer.Ordinal))
        {
            request.Scope = string.Join(' ', request.GetScopes().Remove(Scopes.OfflineAccess));
        }
    }
}
