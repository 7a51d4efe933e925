using Latchkey.Server.Hosting;
using Microsoft.AspNetCore;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Protocol.Clients;

/// <summary>
/// <c>too_many_requests</c> (<see cref="LimitTokenRequestRate"/>) is HTTP 429 with <c>Retry-After</c> in whole seconds
/// (RFC 6585 §4); OpenIddict would send 400.
/// </summary>
internal sealed class AttachTooManyRequestsStatus : IOpenIddictServerHandler<ApplyTokenResponseContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
            .AddFilter<OpenIddictServerAspNetCoreHandlerFilters.RequireHttpRequest>()
            .UseSingletonHandler<AttachTooManyRequestsStatus>()
            .SetOrder(OpenIddictServerAspNetCoreHandlers.AttachHttpResponseCode<ApplyTokenResponseContext>.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ApplyTokenResponseContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Transaction.Response?.Error == LimitTokenRequestRate.TooManyRequests
            && context.Transaction.Properties.TryGetValue(LimitTokenRequestRate.RetryAfterProperty, out var value) && value is TimeSpan retryAfter
            && context.Transaction.GetHttpRequest() is { } request)
        {
            request.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            request.HttpContext.Response.Headers.RetryAfter = RateLimit.RetryAfterHeader(retryAfter);
        }

        return ValueTask.CompletedTask;
    }
}
