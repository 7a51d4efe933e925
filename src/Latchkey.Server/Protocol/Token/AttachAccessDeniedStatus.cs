using Microsoft.AspNetCore;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Protocol.Token;

/// <summary>
/// Auth0 answers a refused client grant at <c>/oauth/token</c> with HTTP 403 <c>access_denied</c>; OpenIddict would
/// send 400 for any error other than <c>invalid_client</c>.
/// </summary>
internal sealed class AttachAccessDeniedStatus : IOpenIddictServerHandler<ApplyTokenResponseContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
            .AddFilter<OpenIddictServerAspNetCoreHandlerFilters.RequireHttpRequest>()
            .UseSingletonHandler<AttachAccessDeniedStatus>()
            .SetOrder(OpenIddictServerAspNetCoreHandlers.AttachHttpResponseCode<ApplyTokenResponseContext>.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ApplyTokenResponseContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Response.Error == Errors.AccessDenied && context.Transaction.GetHttpRequest() is { } request)
        {
            request.HttpContext.Response.StatusCode = StatusCodes.Status403Forbidden;
        }

        return ValueTask.CompletedTask;
    }
}
