using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Protocol.Token;

/// <summary>
/// An authorization code is single-use whatever the outcome (RFC 6749 §4.1.2, OAuth 2.1 §4.1.3): when a token request
/// presents a genuine code but fails afterwards (wrong PKCE verifier, wrong redirect_uri, wrong client), the code is
/// revoked so it cannot be tried again (docs/reference/security-catalogue.md PK-4). Only the code is revoked, not what it may already have
/// issued: an invalid replay must not let an attacker revoke the legitimate tokens (OAuth 2.1 §7.5.2, CODE-8).
/// </summary>
internal sealed class BurnCodeOnFailedExchange(IOpenIddictTokenManager tokens) : IOpenIddictServerHandler<ApplyTokenResponseContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
            .AddFilter<RequireUserTokenGrant>()
            .UseScopedHandler<BurnCodeOnFailedExchange>()
            .SetOrder(OpenIddictServerHandlers.Exchange.NormalizeErrorResponse.Descriptor.Order + 2)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ApplyTokenResponseContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrEmpty(context.Response.Error) || context.Request?.IsAuthorizationCodeGrantType() != true)
        {
            return;
        }

        var validation = context.Transaction.GetProperty<ValidateTokenRequestContext>(typeof(ValidateTokenRequestContext).FullName!);
        if (validation?.AuthorizationCodePrincipal?.GetTokenId() is not { Length: > 0 } tokenId
            || await tokens.FindByIdAsync(tokenId, context.CancellationToken) is not { } code
            || !await tokens.HasStatusAsync(code, Statuses.Valid, context.CancellationToken))
        {
            return;
        }

        await tokens.TryRevokeAsync(code, context.CancellationToken);
    }
}
