using Latchkey.Server.Hosting;
using Latchkey.Server.Protocol.Clients;
using Microsoft.AspNetCore;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;

namespace Latchkey.Server.Protocol.Token;

/// <summary>
/// The two refusals that ask a client to wait are HTTP 429 with <c>Retry-After</c> in whole seconds (RFC 6585 §4, RFC
/// 9110 §10.2.3; OpenIddict would send 400): <c>too_many_attempts</c>, a client secret guessed too often
/// (<see cref="ValidateClientSecretWithThrottle"/>), and <c>too_many_requests</c>, an Application over its rate limit
/// (<see cref="LimitTokenRequestRate"/>). Each stores its wait in the transaction under its own property.
/// </summary>
internal sealed class AttachTooManyRequestsStatus<TContext> : IOpenIddictServerHandler<TContext>
    where TContext : OpenIddictServerEvents.BaseRequestContext
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<TContext>()
            .AddFilter<OpenIddictServerAspNetCoreHandlerFilters.RequireHttpRequest>()
            .UseSingletonHandler<AttachTooManyRequestsStatus<TContext>>()
            .SetOrder(OpenIddictServerAspNetCoreHandlers.AttachHttpResponseCode<TContext>.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(TContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var property = context.Transaction.Response?.Error switch
        {
            ValidateClientSecretWithThrottle.TooManyAttempts => ValidateClientSecretWithThrottle.RetryAfterProperty,
            LimitTokenRequestRate.TooManyRequests => LimitTokenRequestRate.RetryAfterProperty,
            _ => null,
        };
        if (property is not null && context.Transaction.GetHttpRequest() is { } request)
        {
            var retryAfter = context.Transaction.Properties.TryGetValue(property, out var value) && value is TimeSpan after ? after : TimeSpan.FromMinutes(1);
            request.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            request.HttpContext.Response.Headers.RetryAfter = RateLimit.RetryAfterHeader(retryAfter);
        }

        return ValueTask.CompletedTask;
    }
}
