using System.Collections.Immutable;
using System.Text;
using Latchkey.Server.Protocol.Responses;
using Microsoft.AspNetCore;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Protocol.Authorize;

/// <summary>
/// <c>response_mode=form_post</c> (OAuth 2.0 Form Post Response Mode) rendered as a protocol page: the same
/// auto-submitting form OpenIddict writes, but with the protocol pages' headers — the submit script bound to a CSP
/// nonce, no framing (X-Frame-Options DENY), no referrer, no caching — and the page's look. Runs before OpenIddict's
/// own form_post handler and only once the redirect_uri has been validated.
/// </summary>
internal sealed class ApplyFormPostResponse : IOpenIddictServerHandler<ApplyAuthorizationResponseContext>
{
    private const string FormPost = "form_post";

    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyAuthorizationResponseContext>()
            .AddFilter<OpenIddictServerAspNetCoreHandlerFilters.RequireHttpRequest>()
            .UseSingletonHandler<ApplyFormPostResponse>()
            .SetOrder(OpenIddictServerAspNetCoreHandlers.Authentication.ProcessFormPostResponse.Descriptor.Order - 100)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ApplyAuthorizationResponseContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        if (string.IsNullOrEmpty(context.RedirectUri) || !string.Equals(context.ResponseMode, FormPost, StringComparison.Ordinal))
        {
            return;
        }

        var http = context.Transaction.GetHttpRequest()?.HttpContext
            ?? throw new InvalidOperationException("The ASP.NET Core request cannot be resolved.");

        var form = new StringBuilder(1024)
            .Append("<h1 id=\"title\">Returning to the application…</h1>\n")
            .Append("<form method=\"post\" action=\"").Append(ProtocolPage.Encode(context.RedirectUri)).Append("\">\n");
        foreach (var (name, parameter) in context.Response.GetParameters())
        {
            var values = (ImmutableArray<string?>?)parameter;
            if (values is null)
            {
                continue;
            }

            foreach (var value in values.Value.Where(v => !string.IsNullOrEmpty(v)))
            {
                form.Append("<input type=\"hidden\" name=\"").Append(ProtocolPage.Encode(name))
                    .Append("\" value=\"").Append(ProtocolPage.Encode(value)).Append("\">\n");
            }
        }

        form.Append("<noscript><button type=\"submit\" class=\"primary\">Continue</button></noscript>\n</form>");

        await ProtocolPage.WriteAsync(http.Response, StatusCodes.Status200OK, "Signing in", form.ToString(),
            scriptJs: "document.forms[0].submit();", formAction: null);
        context.HandleRequest();
    }
}
