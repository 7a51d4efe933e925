using Microsoft.AspNetCore;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;

namespace Latchkey.Server.Protocol.Responses;

/// <summary>
/// Renders an authorization or end-session error that cannot be sent back to the client (unknown client,
/// unregistered or near-miss redirect_uri, not-allowed logout URL) as a product page instead of OpenIddict's
/// plain-text body. RFC 6749 §4.1.2.1: the authorization server MUST NOT redirect to an invalid redirection URI;
/// it informs the resource owner. The error text is HTML-encoded (it can echo attacker-chosen input).
/// Ordered after the redirect-based response modes (they only act once a redirect_uri is validated) and
/// before OpenIddict's passthrough / status-code-pages / plain-text handlers.
/// </summary>
internal sealed class RenderErrorPage<TContext> : IOpenIddictServerHandler<TContext>
    where TContext : OpenIddictServerEvents.BaseRequestContext
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<TContext>()
            .AddFilter<OpenIddictServerAspNetCoreHandlerFilters.RequireHttpRequest>()
            .UseSingletonHandler<RenderErrorPage<TContext>>()
            .SetOrder(OpenIddictServerAspNetCoreHandlers.ProcessPassthroughErrorResponse<TContext, IOpenIddictServerHandlerFilter<TContext>>.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(TContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        var error = context.Transaction.Response?.Error;
        if (string.IsNullOrEmpty(error))
        {
            return;
        }

        var response = context.Transaction.GetHttpRequest()?.HttpContext.Response
            ?? throw new InvalidOperationException("The ASP.NET Core request cannot be resolved.");

        var description = context.Transaction.Response?.ErrorDescription;
        var status = response.StatusCode is >= 400 and < 600 ? response.StatusCode : StatusCodes.Status400BadRequest;

        var body =
            "<h1 id=\"title\">This request can’t be completed</h1>\n" +
            "<p class=\"lead\">The application sent a sign-in or sign-out request that Latchkey could not accept, " +
            "so you have not been sent back to it. If this keeps happening, contact the application’s owner.</p>\n" +
            $"<div class=\"alert\" role=\"alert\"><code>{ProtocolPage.Encode(error)}</code>" +
            (string.IsNullOrEmpty(description) ? string.Empty : $": {ProtocolPage.Encode(description)}") + "</div>";

        await ProtocolPage.WriteAsync(response, status, "Request error", body);
        context.HandleRequest();
    }
}
