using System.Collections.Immutable;
using Latchkey.Server.Protocol.Clients;
using Latchkey.Server.Protocol.Requests;
using Latchkey.Server.Protocol.Responses;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Protocol.Token;

/// <summary>
/// <c>/oauth/token</c> and <c>/oauth/revoke</c> (RFC 7009; it shares the token endpoint's body and error rules): our
/// handlers in OpenIddict's exchange pipeline, in the order they run (each descriptor's <c>Order</c> places it relative
/// to an OpenIddict built-in).
/// </summary>
internal static class TokenHandlers
{
    public static ImmutableArray<OpenIddictServerHandlerDescriptor> DefaultHandlers { get; } =
    [
        // Extract: form or JSON bodies (auth0-spa-js v1 sends JSON).
        ExtractFormOrJsonRequest<ExtractTokenRequestContext>.Descriptor,
        ExtractFormOrJsonRequest<ExtractRevocationRequestContext>.Descriptor,

        // Authenticate the client: secret check with a failed-attempt limit; then the request-rate limit per Application.
        ValidateClientSecretWithThrottle.Descriptor,
        LimitTokenRequestRate.Descriptor,

        // Validate the request: PKCE verifier format, refresh scope, client grant (which API, may this client have it).
        ValidateCodeVerifierFormat.Descriptor,
        ValidateRefreshScope.Descriptor,
        ValidateClientCredentialsAudience.Descriptor,

        // Validate the presented code or refresh token: reuse detection with the client's reuse interval.
        ValidateTokenEntryWithClientLeeway.Descriptor,
        RevokeFamilyOnValidCodeReplay.Descriptor,

        // Handle: build the principal per grant, then claim a strict-rotation refresh token before it is redeemed, and
        // write the claim with its successor's row (one transaction; the loser of a race is refused).
        HandleClientCredentialsGrant.Descriptor,
        HandleUserTokenGrant.Descriptor,
        RejectConcurrentRefresh.Descriptor,
        CompleteRefreshRotation.Descriptor,

        // Apply response: count the answer (first, so every answer is counted); Auth0's error texts and statuses; a
        // failed exchange burns its code.
        RecordTokenRequest.Descriptor,
        NormalizeTokenErrors.Descriptor,
        BurnCodeOnFailedExchange.Descriptor,
        AttachAccessDeniedStatus.Descriptor,
        AttachTooManyRequestsStatus<ApplyTokenResponseContext>.Descriptor,
        AttachTooManyRequestsStatus<ApplyRevocationResponseContext>.Descriptor,
        OmitErrorUri<ApplyTokenResponseContext>.Descriptor,
        OmitErrorUri<ApplyRevocationResponseContext>.Descriptor,
    ];
}
