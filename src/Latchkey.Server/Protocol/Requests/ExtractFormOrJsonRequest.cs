using Microsoft.AspNetCore;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Protocol.Requests;

/// <summary>
/// Replaces OpenIddict's form-only extraction at <c>/oauth/token</c> and <c>/oauth/revoke</c>: auth0-spa-js v1 (and v2
/// with <c>useFormData:false</c>) and auth0-js send <c>application/json</c> (docs/reference/auth0-wire.md R4.1, docs/reference/openiddict.md §9). Bad bodies are
/// <c>invalid_request</c> (400), never a 500.
/// </summary>
internal sealed class ExtractFormOrJsonRequest<TContext> : IOpenIddictServerHandler<TContext>
    where TContext : BaseValidatingContext
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<TContext>()
            .AddFilter<OpenIddictServerAspNetCoreHandlerFilters.RequireHttpRequest>()
            .UseSingletonHandler<ExtractFormOrJsonRequest<TContext>>()
            .SetOrder(OpenIddictServerAspNetCoreHandlers.ExtractPostRequest<TContext>.Descriptor.Order)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(TContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Transaction.GetHttpRequest() ?? throw new InvalidOperationException("No HTTP request.");
        if (!HttpMethods.IsPost(request.Method))
        {
            context.Reject(Errors.InvalidRequest, "The specified HTTP method is not valid.");
            return;
        }

        var (parsed, error) = await RequestBodyReader.ReadAsync(request, allowJson: true, keepRepeated: false, context.CancellationToken);
        if (parsed is null)
        {
            context.Reject(Errors.InvalidRequest, error);
            return;
        }

        context.Transaction.Request = parsed;
    }
}
