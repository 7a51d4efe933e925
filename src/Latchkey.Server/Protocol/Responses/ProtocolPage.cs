using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Latchkey.Server.Login;
using Microsoft.Net.Http.Headers;

namespace Latchkey.Server.Protocol.Responses;

/// <summary>
/// Writes the few HTML pages the protocol surface serves itself (the authorization error page, the
/// <c>web_message</c> page, the logged-out page). Every text that came from a request is HTML-encoded here,
/// and every page carries the same hardening headers: a CSP without <c>unsafe-inline</c> (the one script is nonce-bound),
/// no referrer (codes and states must not leak through <c>Referer</c>, RFC 9700 §4.2.4), no sniffing, no caching.
/// </summary>
internal static class ProtocolPage
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    /// <summary>A fresh CSP nonce (128 bits, base64).</summary>
    public static string NewNonce() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));

    /// <summary>
    /// Writes a page. <paramref name="frameAncestors"/> is the CSP <c>frame-ancestors</c> source list;
    /// <c>'none'</c> also sends <c>X-Frame-Options: DENY</c> for browsers without CSP level 2.
    /// <paramref name="formAction"/> is the CSP <c>form-action</c> source list, or null for none (browsers apply it to the
    /// redirects that follow a form submission too, which a form_post page cannot predict).
    /// </summary>
    public static async Task WriteAsync(
        HttpResponse response,
        int statusCode,
        string title,
        string bodyHtml,
        string? scriptJs = null,
        string frameAncestors = "'none'",
        string? formAction = "'none'")
    {
        var nonce = scriptJs is null ? null : NewNonce();
        var csp = new StringBuilder()
            .Append("default-src 'none'; style-src 'self'; img-src 'self' data:; ")
            .Append(nonce is null ? string.Empty : $"script-src 'nonce-{nonce}'; ")
            .Append("base-uri 'none'; ")
            .Append(formAction is null ? string.Empty : $"form-action {formAction}; ")
            .Append("frame-ancestors ").Append(frameAncestors)
            .ToString();

        var headers = response.Headers;
        headers[HeaderNames.ContentSecurityPolicy] = csp;
        if (frameAncestors == "'none'")
        {
            headers[HeaderNames.XFrameOptions] = "DENY";
        }
        else
        {
            headers.Remove(HeaderNames.XFrameOptions);
        }

        headers["Referrer-Policy"] = "no-referrer";
        headers[HeaderNames.XContentTypeOptions] = "nosniff";
        headers[HeaderNames.CacheControl] = "no-store";
        headers[HeaderNames.Pragma] = "no-cache";

        // Same markup and stylesheet as the login pages, so every page a user sees looks like one product.
        var html = PageShell.Open(new StringBuilder(2048), title).Append(bodyHtml);
        PageShell.Close(html, nonce, scriptJs);

        var bytes = Encoding.UTF8.GetBytes(html.ToString());
        response.StatusCode = statusCode;
        response.ContentType = "text/html; charset=utf-8";
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes);
    }

    /// <summary>HTML-encodes untrusted text for element content or a quoted attribute.</summary>
    public static string Encode(string? text) => Html.Encode(text ?? string.Empty);
}
