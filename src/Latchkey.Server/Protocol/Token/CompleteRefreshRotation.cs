using Latchkey.Server.Protocol.Clients;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Protocol.Token;

/// <summary>
/// The end of a strict rotation claimed by <see cref="RejectConcurrentRefresh"/>: once the successor refresh token
/// has been created (its row written in the same transaction as the redemption), or without one, writes the
/// redemption, and refuses the request with <c>invalid_grant</c> if another request redeemed the token first (RT-9:
/// one success). Runs before the ID token is signed, so a losing request signs nothing more.
/// </summary>
internal sealed class CompleteRefreshRotation(LatchkeyTokenManager tokens) : IOpenIddictServerHandler<ProcessSignInContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
            .AddFilter<OpenIddictServerHandlerFilters.RequireTokenStorageEnabled>()
            .AddFilter<RequireUserTokenGrant>()
            .UseScopedHandler<CompleteRefreshRotation>()
            .SetOrder(OpenIddictServerHandlers.GenerateRefreshToken.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ProcessSignInContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.EndpointType != OpenIddictServerEndpointType.Token || !context.Request.IsRefreshTokenGrantType())
        {
            return;
        }

        if (!await tokens.CompleteRedemptionAsync(context.CancellationToken))
        {
            context.Reject(Errors.InvalidGrant, RejectConcurrentRefresh.InUseDescription);
        }
    }
}
