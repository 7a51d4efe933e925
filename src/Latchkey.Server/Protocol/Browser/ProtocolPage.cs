using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.Net.Http.Headers;

namespace Latchkey.Server.Protocol.Browser;

/// <summary>
/// Writes the few HTML pages the protocol surface serves itself (the authorization error page, the
/// <c>web_message</c> page, the logged-out page). Every text that came from a request is HTML-encoded here,
/// and every page carries the same hardening headers: a nonce-based CSP without <c>unsafe-inline</c>,
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
    /// </summary>
    public static async Task WriteAsync(
        HttpResponse response,
        int statusCode,
        string title,
        string bodyHtml,
        string? scriptJs = null,
        string frameAncestors = "'none'")
    {
        var nonce = NewNonce();
        var csp = new StringBuilder()
            .Append("default-src 'none'; ")
            .Append("style-src 'nonce-").Append(nonce).Append("'; ")
            .Append(scriptJs is null ? string.Empty : $"script-src 'nonce-{nonce}'; ")
            .Append("img-src 'self' data:; base-uri 'none'; form-action 'none'; ")
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

        var html = new StringBuilder(2048)
            .Append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta name=\"robots\" content=\"noindex\">\n")
            .Append("<title>").Append(Html.Encode(title)).Append(" · Latchkey</title>\n")
            .Append("<style nonce=\"").Append(nonce).Append("\">").Append(Stylesheet).Append("</style>\n")
            .Append("</head>\n<body>\n<main class=\"card\" role=\"main\">\n")
            .Append("<p class=\"brand\">Latchkey</p>\n")
            .Append(bodyHtml)
            .Append("\n</main>\n");
        if (scriptJs is not null)
        {
            html.Append("<script nonce=\"").Append(nonce).Append("\">").Append(scriptJs).Append("</script>\n");
        }

        html.Append("</body>\n</html>\n");

        var bytes = Encoding.UTF8.GetBytes(html.ToString());
        response.StatusCode = statusCode;
        response.ContentType = "text/html; charset=utf-8";
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes);
    }

    /// <summary>HTML-encodes untrusted text for element content or a quoted attribute.</summary>
    public static string Encode(string? text) => Html.Encode(text ?? string.Empty);

    // Kept small and self-contained so the page renders under default-src 'none'.
    private const string Stylesheet =
        ":root{color-scheme:light dark;--fg:#1b1f24;--muted:#57606a;--bg:#f4f6f8;--card:#fff;--line:#d0d7de;--accent:#3b5bdb;--bad:#b42318}" +
        "@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9da7b3;--bg:#0d1117;--card:#161b22;--line:#30363d;--accent:#8ea2ff;--bad:#ff7b72}}" +
        "*{box-sizing:border-box}html,body{margin:0;height:100%}" +
        "body{display:flex;align-items:center;justify-content:center;padding:1.5rem;background:var(--bg);color:var(--fg);" +
        "font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}" +
        ".card{width:100%;max-width:28rem;background:var(--card);border:1px solid var(--line);border-radius:12px;padding:2rem;box-shadow:0 1px 3px rgba(0,0,0,.08)}" +
        ".brand{margin:0 0 1.25rem;font-weight:700;letter-spacing:.02em;color:var(--accent)}" +
        "h1{font-size:1.35rem;margin:0 0 .75rem}p{margin:.5rem 0;color:var(--muted)}" +
        ".error-code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.9rem;color:var(--bad);overflow-wrap:anywhere}" +
        ".detail{overflow-wrap:anywhere}";
}
