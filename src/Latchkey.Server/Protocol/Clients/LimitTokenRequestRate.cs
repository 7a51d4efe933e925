using Microsoft.AspNetCore;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;
using static OpenIddict.Server.OpenIddictServerHandlerFilters;

namespace Latchkey.Server.Protocol.Clients;

/// <summary>
/// <c>/oauth/token</c> past <c>Latchkey:RateLimits:Token</c> (<see cref="TokenRequestRateLimiter"/>) answers
/// <c>too_many_requests</c>, HTTP 429 with <c>Retry-After</c> (<see cref="Token.AttachTooManyRequestsStatus{TContext}"/>): the code
/// Auth0's Authentication API answers when a rate limit is reached (its brute-force blocks are
/// <c>too_many_attempts</c>, <c>ValidateClientSecretWithThrottle</c>). Runs after the client is authenticated, so a
/// wrong secret never spends the Application's bucket, and before any grant work.
/// </summary>
internal sealed class LimitTokenRequestRate(TokenRequestRateLimiter limiter) : IOpenIddictServerHandler<ProcessAuthenticationContext>
{
    public const string TooManyRequests = "too_many_requests";

    /// <summary>Transaction property: how long the client should wait (for the <c>Retry-After</c> header).</summary>
    public const string RetryAfterProperty = "Latchkey.TokenRateLimitRetryAfter";

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessAuthenticationContext>()
            .AddFilter<RequireClientIdParameter>()
            .UseSingletonHandler<LimitTokenRequestRate>()
            .SetOrder(OpenIddictServerHandlers.ValidateClientSecret.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ProcessAuthenticationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.EndpointType != OpenIddictServerEndpointType.Token)
        {
            return ValueTask.CompletedTask;
        }

        // A secret that got this far was verified (ValidateClientSecretWithThrottle rejects a wrong one first).
        var authenticated = !string.IsNullOrEmpty(context.ClientSecret);
        var address = context.Transaction.GetHttpRequest()?.HttpContext.Connection.RemoteIpAddress;
        if (!limiter.TryAcquire(context.ClientId!, authenticated, address, out var retryAfter))
        {
            context.Transaction.Properties[RetryAfterProperty] = retryAfter;
            context.Reject(TooManyRequests, "Too many requests for this application. Retry after the delay in Retry-After.");
        }

        return ValueTask.CompletedTask;
    }
}
