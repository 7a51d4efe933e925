using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Protocol.Token;

/// <summary>
/// Handler filter: the request is a token request with the <c>authorization_code</c> or <c>refresh_token</c> grant.
/// The handlers of those grants check the grant themselves; the filter lets the dispatcher skip them before they are
/// built, so a client_credentials token does not construct their scoped dependencies (the user store, the token manager)
/// for nothing (docs/performance.md, finding 4).
/// </summary>
internal sealed class RequireUserTokenGrant : IOpenIddictServerHandlerFilter<BaseContext>
{
    public ValueTask<bool> IsActiveAsync(BaseContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult(context.EndpointType is OpenIddictServerEndpointType.Token
            && context.Transaction.Request is { } request
            && (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType()));
    }
}
