using Microsoft.AspNetCore;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Protocol.Requests;

/// <summary>
/// Replaces OpenIddict's GET-or-POST extraction at <c>/userinfo</c> (OIDC Core §5.3.1: GET or POST) with the bounded,
/// exception-free reader, so malformed bodies are <c>invalid_request</c> instead of a 500.
/// </summary>
internal sealed class ExtractQueryOrFormRequest<TContext> : IOpenIddictServerHandler<TContext>
    where TContext : BaseValidatingContext
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<TContext>()
            .AddFilter<OpenIddictServerAspNetCoreHandlerFilters.RequireHttpRequest>()
            .UseSingletonHandler<ExtractQueryOrFormRequest<TContext>>()
            .SetOrder(OpenIddictServerAspNetCoreHandlers.ExtractGetOrPostRequest<TContext>.Descriptor.Order)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(TContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Transaction.GetHttpRequest() ?? throw new InvalidOperationException("No HTTP request.");

        var (parsed, error) = HttpMethods.IsGet(request.Method)
            ? RequestBodyReader.FromQuery(request.Query)
            : HttpMethods.IsPost(request.Method)
                ? request.ContentLength is null or 0 && string.IsNullOrEmpty(request.ContentType)
                    ? RequestBodyReader.FromQuery(request.Query)
                    : await RequestBodyReader.ReadAsync(request, allowJson: false, context.CancellationToken)
                : (null, "The specified HTTP method is not valid.");

        if (parsed is null)
        {
            context.Reject(Errors.InvalidRequest, error);
            return;
        }

        context.Transaction.Request = parsed;
    }
}
