using System.Text;
using System.Text.Json;
using Latchkey.Server.Hosting.Cors;
using Latchkey.Server.Protocol.Responses;
using Microsoft.AspNetCore;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Protocol.Authorize;

/// <summary>
/// <c>response_mode=web_message</c> (Auth0 silent authentication and popup login; auth0-spa-js <c>runIframe</c> /
/// <c>runPopup</c>, auth0-js <c>checkSession</c>): instead of redirecting, serve a page from the issuer's origin that
/// calls <c>(window.opener || window.parent).postMessage({type: "authorization_response", response: {...}}, origin)</c>.
/// The message is a structured object (the SDKs read <c>e.data.type</c>), and its target origin is the origin of the
/// already-validated redirect_uri, so no other window can read the code. The page may be framed only by the
/// Application's web origins (Auth0 "Allowed Web Origins"); it sends no X-Frame-Options.
/// Runs only once OpenIddict has validated the redirect_uri (<see cref="ApplyAuthorizationResponseContext.RedirectUri"/>
/// is null before that, and such errors fall through to <see cref="RenderErrorPage{TContext}"/>).
/// </summary>
internal sealed class ApplyWebMessageResponse(ClientOrigins origins) : IOpenIddictServerHandler<ApplyAuthorizationResponseContext>
{
    public const string ResponseMode = "web_message";

    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyAuthorizationResponseContext>()
            .AddFilter<OpenIddictServerAspNetCoreHandlerFilters.RequireHttpRequest>()
            .UseSingletonHandler<ApplyWebMessageResponse>()
            .SetOrder(OpenIddictServerAspNetCoreHandlers.Authentication.ProcessFormPostResponse.Descriptor.Order - 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ApplyAuthorizationResponseContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        if (string.IsNullOrEmpty(context.RedirectUri) || !string.Equals(context.ResponseMode, ResponseMode, StringComparison.Ordinal))
        {
            return;
        }

        var http = context.Transaction.GetHttpRequest()?.HttpContext
            ?? throw new InvalidOperationException("The ASP.NET Core request cannot be resolved.");

        // ValidateWebMessageRequest only lets http(s) redirect URIs through; this is a second line of defence.
        var targetOrigin = ClientOrigins.Normalize(context.RedirectUri);
        if (targetOrigin is null)
        {
            return;
        }

        var webOrigins = await origins.GetWebOriginsAsync(context.Request?.ClientId, http.RequestAborted);
        var frameAncestors = webOrigins.Count == 0 ? "'none'" : string.Join(' ', webOrigins);

        var script = new StringBuilder(512)
            .Append("(function(){var m={\"type\":\"authorization_response\",\"response\":")
            .Append(SerializeResponse(context.Response))
            .Append("};var w=window.opener||window.parent;w.postMessage(m,")
            .Append(JsonSerializer.Serialize(targetOrigin))
            .Append(");})();")
            .ToString();

        var body = context.Response.Error is null
            ? "<h1 id=\"title\">Signing you in…</h1>\n<p class=\"lead\">You can close this window if it stays open.</p>"
            : "<h1 id=\"title\">Returning to the application…</h1>\n<p class=\"lead\">You can close this window if it stays open.</p>";

        await ProtocolPage.WriteAsync(http.Response, StatusCodes.Status200OK, "Signing in", body, script, frameAncestors);
        context.HandleRequest();
    }

    /// <summary>
    /// The response parameters as a JSON object: strings stay strings, numbers (<c>expires_in</c>) stay numbers.
    /// System.Text.Json's default encoder escapes &lt;, &gt;, &amp;, quotes and non-ASCII, so the text is inert inside
    /// a script element whatever the client put in <c>state</c>.
    /// </summary>
    private static string SerializeResponse(OpenIddictResponse response)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, parameter) in response.GetParameters())
            {
                if (parameter.GetRawValue() is null)
                {
                    continue;
                }

                writer.WritePropertyName(name);
                parameter.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
