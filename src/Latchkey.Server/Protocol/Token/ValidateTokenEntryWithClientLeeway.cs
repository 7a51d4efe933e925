using Latchkey.Server.Operations;
using Latchkey.Server.Tenants;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Protocol.Token;

/// <summary>
/// Replaces OpenIddict's <c>ValidateTokenEntry</c> so that the refresh-token reuse interval is the client's
/// (Auth0 "Reuse Interval", <c>refresh_token.leeway</c>, default 0) instead of OpenIddict's global 30 seconds.
/// <list type="bullet">
/// <item>A redeemed (rotated) refresh token presented again within the client's leeway is accepted (network retries,
/// multi-tab races, docs/reference/auth0-wire.md R6.4). <c>non-rotating</c> clients may always reuse it.</item>
/// <item>Outside the leeway it is a replay: every token of its family (the authorization) is revoked, and the
/// authorization too, and the request fails with <c>invalid_grant</c> (Auth0 refresh-token rotation docs: "the entire
/// set of Refresh Tokens issued since that invalidated token was issued will immediately be revoked").</item>
/// <item>A redeemed authorization code is always refused, but whether the replay revokes what the code issued
/// (RFC 6749 §4.1.2) is decided later, by <see cref="RevokeFamilyOnValidCodeReplay"/>, once OpenIddict has checked the
/// client, the <c>redirect_uri</c> and the PKCE verifier: a replay that fails any of them must not revoke the victim's
/// tokens (OAuth 2.1 §7.5.2, CODE-8). Here the request is only marked.</item>
/// </list>
/// Other statuses behave as in OpenIddict.
/// </summary>
internal sealed class ValidateTokenEntryWithClientLeeway(
    IOpenIddictTokenManager tokens,
    IOpenIddictAuthorizationManager authorizations,
    TenantCache tenants,
    LatchkeyMetrics metrics) : IOpenIddictServerHandler<ValidateTokenContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .AddFilter<OpenIddictServerHandlerFilters.RequireDegradedModeDisabled>()
            .AddFilter<OpenIddictServerHandlerFilters.RequireTokenStorageEnabled>()
            .AddFilter<OpenIddictServerHandlerFilters.RequireTokenIdResolved>()
            .UseScopedHandler<ValidateTokenEntryWithClientLeeway>()
            .SetOrder(OpenIddictServerHandlers.Protection.ValidateTokenEntry.Descriptor.Order)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ValidateTokenContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var token = await tokens.FindByIdAsync(context.TokenId!, context.CancellationToken);
        if (token is null)
        {
            context.Reject(Errors.InvalidToken, "The token is no longer valid.");
            return;
        }

        if (await tokens.HasStatusAsync(token, Statuses.Redeemed, context.CancellationToken))
        {
            if (!context.Principal!.HasTokenType(TokenTypeIdentifiers.RefreshToken))
            {
                if (context.EndpointType == OpenIddictServerEndpointType.Token && context.Request?.IsAuthorizationCodeGrantType() == true)
                {
                    context.Transaction.SetProperty(RevokeFamilyOnValidCodeReplay.ReplayedAuthorization, context.AuthorizationId ?? string.Empty);
                    return;
                }

                context.Reject(Errors.InvalidToken, RevokeFamilyOnValidCodeReplay.AlreadyRedeemed);
                return;
            }

            if (await IsReusableAsync(context, token))
            {
                return;
            }

            if (await IsRotationInFlightAsync(context, token))
            {
                context.Reject(Errors.InvalidToken, RejectConcurrentRefresh.InUseDescription);
                return;
            }

            metrics.RefreshTokenReuseDetected();
            context.Transaction.SetProperty(RecordTokenRequest.ReusedRefreshTokenSubject, context.Principal!.GetClaim(Claims.Subject) ?? string.Empty);
            await RevokeFamilyAsync(tokens, authorizations, context.AuthorizationId, context.Logger, context.CancellationToken);
            context.Reject(Errors.InvalidToken, "The refresh token has already been used.");
            return;
        }

        if (await tokens.HasStatusAsync(token, Statuses.Inactive, context.CancellationToken))
        {
            context.Reject(Errors.AuthorizationPending, "The authorization has not been completed yet.");
            return;
        }

        if (await tokens.HasStatusAsync(token, Statuses.Rejected, context.CancellationToken))
        {
            context.Reject(Errors.AccessDenied, "The authorization was denied.");
            return;
        }

        if (!await tokens.HasStatusAsync(token, Statuses.Valid, context.CancellationToken))
        {
            context.Reject(Errors.InvalidToken, "The token is no longer valid.");
        }
    }

    private async ValueTask<bool> IsReusableAsync(ValidateTokenContext context, object token)
    {
        var clientId = context.Principal!.GetPresenters().FirstOrDefault();
        var tenant = await tenants.GetAsync(context.CancellationToken);
        if (clientId is null || !tenant.Applications.TryGetValue(clientId, out var application))
        {
            return false;
        }

        var redeemedAt = await tokens.GetRedemptionDateAsync(token, context.CancellationToken);
        return application.RefreshToken.AllowsReuse(redeemedAt, context.Options.TimeProvider.GetUtcNow());
    }

    /// <summary>
    /// The token was redeemed, but its family has no newer refresh token yet: the request that redeemed it is still
    /// rotating (on this node or another). This request arrived at the same time, not after: it loses (RT-9, strict
    /// rotation gives one success), but revoking the family now would also fail the winner, so nobody would get a token.
    /// Once the successor exists, presenting the redeemed token is a replay and revokes the family as usual. A winner
    /// that failed after redeeming leaves no live token in the family, so there is nothing for a replay to revoke.
    /// </summary>
    private async ValueTask<bool> IsRotationInFlightAsync(ValidateTokenContext context, object token)
    {
        if (string.IsNullOrEmpty(context.AuthorizationId))
        {
            return false;
        }

        var created = await tokens.GetCreationDateAsync(token, context.CancellationToken);
        await foreach (var member in tokens.FindByAuthorizationIdAsync(context.AuthorizationId, context.CancellationToken))
        {
            if (await tokens.GetIdAsync(member, context.CancellationToken) != context.TokenId
                && await tokens.HasTypeAsync(member, TokenTypeIdentifiers.RefreshToken, context.CancellationToken)
                && await tokens.GetCreationDateAsync(member, context.CancellationToken) >= created)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Revokes every token of an authorization (a refresh-token family) and the authorization itself.</summary>
    internal static async ValueTask RevokeFamilyAsync(
        IOpenIddictTokenManager tokens, IOpenIddictAuthorizationManager authorizations, string? authorizationId, ILogger logger, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(authorizationId))
        {
            return;
        }

        var revoked = await tokens.RevokeByAuthorizationIdAsync(authorizationId, cancellationToken);
        if (await authorizations.FindByIdAsync(authorizationId, cancellationToken) is { } authorization)
        {
            await authorizations.TryRevokeAsync(authorization, cancellationToken);
        }

        logger.LogWarning("Token replay detected: revoked {Count} tokens of authorization {AuthorizationId}.", revoked, authorizationId);
    }
}
