using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Protocol.Token;

/// <summary>
/// A redeemed authorization code presented again (marked by <see cref="ValidateTokenEntryWithClientLeeway"/>) reaches
/// this point only if every validation of the token request passed: the client authenticated (confidential) or the
/// presenter, <c>redirect_uri</c> and <c>code_verifier</c> matched (public). Such a replay comes from someone holding
/// what the legitimate client holds, so, as RFC 6749 §4.1.2 asks, everything the code issued is revoked and the request
/// fails. A replay that failed any earlier check never gets here and revokes nothing: a code seen in a log, history or
/// <c>Referer</c> must not let a stranger revoke the victim's tokens (OAuth 2.1 §7.5.2, security catalogue CODE-8).
/// Ordered first in the handling stage, so a replay can never reach token issuance.
/// </summary>
internal sealed class RevokeFamilyOnValidCodeReplay(IOpenIddictTokenManager tokens, IOpenIddictAuthorizationManager authorizations)
    : IOpenIddictServerHandler<HandleTokenRequestContext>
{
    /// <summary>Transaction property: the authorization (token family) of a redeemed code presented again.</summary>
    internal const string ReplayedAuthorization = "Latchkey.ReplayedAuthorization";

    internal const string AlreadyRedeemed = "The authorization code has already been redeemed.";

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleTokenRequestContext>()
            .AddFilter<RequireUserTokenGrant>()
            .UseScopedHandler<RevokeFamilyOnValidCodeReplay>()
            .SetOrder(int.MinValue + 100_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(HandleTokenRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Transaction.GetProperty<string>(ReplayedAuthorization) is not { } authorizationId)
        {
            return;
        }

        await ValidateTokenEntryWithClientLeeway.RevokeFamilyAsync(tokens, authorizations, authorizationId, context.Logger, context.CancellationToken);
        context.Reject(Errors.InvalidGrant, AlreadyRedeemed);
    }
}
