using Latchkey.Server.Protocol.Clients;
using Latchkey.Server.Tenants;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Protocol.Token;

/// <summary>
/// Strict rotation under races (docs/reference/security-catalogue.md RT-9): OpenIddict marks a refresh token redeemed but ignores a lost
/// update, so two simultaneous requests with the same token would both get new tokens. For clients without a reuse
/// interval (Auth0's default), the redemption is claimed here instead, under the store's optimistic concurrency, and
/// written in one transaction with the successor's row (<see cref="LatchkeyTokenManager.RedeemWithSuccessorAsync"/>):
/// the request whose write loses stores nothing and is <c>invalid_grant</c> (<see cref="CompleteRefreshRotation"/>),
/// without revoking the family. OpenIddict's own redemption then writes nothing more. Clients with a reuse interval
/// accept such races by design and keep OpenIddict's redemption.
/// </summary>
internal sealed class RejectConcurrentRefresh(LatchkeyTokenManager tokens, TenantCache tenants) : IOpenIddictServerHandler<ProcessSignInContext>
{
    public const string InUseDescription = "The refresh token is being used by another request.";

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
            .AddFilter<OpenIddictServerHandlerFilters.RequireTokenStorageEnabled>()
            .AddFilter<RequireUserTokenGrant>()
            .UseScopedHandler<RejectConcurrentRefresh>()
            .SetOrder(OpenIddictServerHandlers.RedeemTokenEntry.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ProcessSignInContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.EndpointType != OpenIddictServerEndpointType.Token || !context.Request.IsRefreshTokenGrantType())
        {
            return;
        }

        var authentication = context.Transaction.GetProperty<ProcessAuthenticationContext>(typeof(ProcessAuthenticationContext).FullName!);
        if (authentication?.RefreshTokenPrincipal?.GetTokenId() is not { Length: > 0 } tokenId
            || await tokens.FindByIdAsync(tokenId, context.CancellationToken) is not { } token
            || !await tokens.HasStatusAsync(token, Statuses.Valid, context.CancellationToken))
        {
            return;
        }

        var tenant = await tenants.GetAsync(context.CancellationToken);
        if (context.ClientId is null
            || !tenant.Applications.TryGetValue(context.ClientId, out var application)
            || !application.RefreshToken.IsStrictRotation)
        {
            return;
        }

        await tokens.RedeemWithSuccessorAsync(token, context.Options.TimeProvider.GetUtcNow(), context.CancellationToken);
    }
}
