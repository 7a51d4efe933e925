using Microsoft.AspNetCore;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Protocol.Requests;

/// <summary>
/// Replaces OpenIddict's GET-or-POST extraction at <c>/authorize</c>, <c>/v2/logout</c>, <c>/oidc/logout</c> and
/// <c>/userinfo</c> (OIDC Core §3.1.2.1, §5.3.1: GET or POST) with the bounded, exception-free
/// <see cref="RequestBodyReader"/>, so an oversized or malformed form is <c>invalid_request</c> instead of a 500.
/// A bearer token in the query string is refused at every endpoint, not merely ignored: RFC 6750 §2.3 says it SHOULD
/// NOT be used and OAuth 2.1 §5.2 removes it, because URLs end up in logs, history and <c>Referer</c> headers.
/// At <c>/authorize</c> and the logouts, repeated parameters are kept as OpenIddict's own extraction keeps them:
/// OpenIddict refuses repeated protocol parameters, and <see cref="Browser.AuthorizeEndpoint"/> a repeated
/// <c>audience</c>, after the client and redirect URI are validated, so the error can go back to the client
/// (RFC 6749 §4.1.2.1). <c>/userinfo</c> refuses them here.
/// </summary>
internal sealed class ExtractQueryOrFormRequest<TContext> : IOpenIddictServerHandler<TContext>
    where TContext : BaseValidatingContext
{
    // ASCII only: at /userinfo the description is also sent in the WWW-Authenticate header.
    internal const string QueryAccessToken = "Access tokens must not be sent in the query string; send them in the Authorization header (RFC 6750, section 2.1).";

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
        if (request.Query.ContainsKey(Parameters.AccessToken))
        {
            context.Reject(Errors.InvalidRequest, QueryAccessToken);
            return;
        }

        var keepRepeated = context.EndpointType is OpenIddictServerEndpointType.Authorization or OpenIddictServerEndpointType.EndSession;
        var (parsed, error) = HttpMethods.IsGet(request.Method)
            ? RequestBodyReader.FromQuery(request.Query, keepRepeated)
            : HttpMethods.IsPost(request.Method)
                ? request.ContentLength is null or 0 && string.IsNullOrEmpty(request.ContentType)
                    ? RequestBodyReader.FromQuery(request.Query, keepRepeated)
                    : await RequestBodyReader.ReadAsync(request, allowJson: false, keepRepeated, context.CancellationToken)
                : (null, "The specified HTTP method is not valid.");

        if (parsed is null)
        {
            context.Reject(Errors.InvalidRequest, error);
            return;
        }

        context.Transaction.Request = parsed;
    }
}
