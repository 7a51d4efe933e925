using System.Globalization;
using Microsoft.AspNetCore;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;

namespace Latchkey.Server.Protocol.Token;

/// <summary>
/// <c>too_many_attempts</c> (<see cref="ValidateClientSecretWithThrottle"/>) is HTTP 429 with <c>Retry-After</c> in
/// whole seconds (RFC 6585 §4, RFC 9110 §10.2.3); OpenIddict would send 400.
/// </summary>
internal sealed class AttachTooManyAttemptsStatus<TContext> : IOpenIddictServerHandler<TContext>
    where TContext : OpenIddictServerEvents.BaseRequestContext
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<TContext>()
            .AddFilter<OpenIddictServerAspNetCoreHandlerFilters.RequireHttpRequest>()
            .UseSingletonHandler<AttachTooManyAttemptsStatus<TContext>>()
            .SetOrder(OpenIddictServerAspNetCoreHandlers.AttachHttpResponseCode<TContext>.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(TContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Transaction.Response?.Error == ValidateClientSecretWithThrottle.TooManyAttempts
            && context.Transaction.GetHttpRequest() is { } request)
        {
            var retryAfter = context.Transaction.Properties.TryGetValue(ValidateClientSecretWithThrottle.RetryAfterProperty, out var value) && value is TimeSpan after ? after : TimeSpan.FromMinutes(1);
            request.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            request.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        return ValueTask.CompletedTask;
    }
}
