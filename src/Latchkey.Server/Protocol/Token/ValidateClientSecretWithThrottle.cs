using Latchkey.Server.Protocol.Clients;
using Microsoft.AspNetCore;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;
using static OpenIddict.Server.OpenIddictServerHandlerFilters;

namespace Latchkey.Server.Protocol.Token;

/// <summary>
/// Replaces OpenIddict's <c>ValidateClientSecret</c> with the same check behind <see cref="ClientAuthenticationThrottle"/>:
/// an Application that failed too often from one address gets <c>too_many_attempts</c> (HTTP 429 with
/// <c>Retry-After</c>, set by <see cref="AttachTooManyRequestsStatus{TContext}"/>) before its secret is looked at, and
/// each wrong secret counts. <c>too_many_attempts</c> is the code Auth0's authentication API uses for brute-force blocks.
/// </summary>
internal sealed class ValidateClientSecretWithThrottle(IOpenIddictApplicationManager applications, ClientAuthenticationThrottle throttle)
    : IOpenIddictServerHandler<ProcessAuthenticationContext>
{
    public const string TooManyAttempts = "too_many_attempts";

    /// <summary>Transaction property: how long the client should wait (for the <c>Retry-After</c> header).</summary>
    public const string RetryAfterProperty = "Latchkey.ClientAuthenticationRetryAfter";

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessAuthenticationContext>()
            .AddFilter<RequireClientIdParameter>()
            .AddFilter<RequireClientSecretParameter>()
            .AddFilter<RequireDegradedModeDisabled>()
            .UseScopedHandler<ValidateClientSecretWithThrottle>()
            .SetOrder(OpenIddictServerHandlers.ValidateClientSecret.Descriptor.Order)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ProcessAuthenticationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        // As OpenIddict: endpoints without client authentication, and public clients, do not check secrets.
        if (context.EndpointType is OpenIddictServerEndpointType.Authorization or OpenIddictServerEndpointType.EndSession
            or OpenIddictServerEndpointType.EndUserVerification or OpenIddictServerEndpointType.UserInfo)
        {
            return;
        }

        var application = await applications.FindByClientIdAsync(context.ClientId!, context.CancellationToken)
            ?? throw new InvalidOperationException("The client was validated before its secret.");
        if (await applications.HasClientTypeAsync(application, ClientTypes.Public, context.CancellationToken))
        {
            return;
        }

        var address = context.Transaction.GetHttpRequest()?.HttpContext.Connection.RemoteIpAddress;
        if (!throttle.MayAttempt(context.ClientId!, address, out var retryAfter))
        {
            context.Transaction.Properties[RetryAfterProperty] = retryAfter;
            context.Reject(TooManyAttempts, "Too many failed authentications for this application from your address; try again later.");
            return;
        }

        if (!await applications.ValidateClientSecretAsync(application, context.ClientSecret!, context.CancellationToken))
        {
            throttle.RecordFailure(context.ClientId!, address);
            context.Reject(Errors.InvalidClient, "The specified client credentials are invalid.");
        }
    }
}
