using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace Latchkey.Server.Login;

/// <summary>
/// The markup every page a user sees shares (login, sign-up, messages, the protocol's error, logged-out and
/// web_message pages): one stylesheet, the brand, the footer, so they look like one product.
/// </summary>
internal static class PageShell
{
    public const string StylesheetPath = "/login/assets/login.css";

    /// <summary>Writes the document up to the brand inside <c>&lt;main&gt;</c>; <paramref name="title"/> is encoded here.</summary>
    public static StringBuilder Open(StringBuilder html, string title) => html.Append(CultureInfo.InvariantCulture, $$"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex, nofollow">
        <meta name="referrer" content="no-referrer">
        <title>{{HtmlEncoder.Default.Encode(title)}} · Latchkey</title>
        <link rel="stylesheet" href="{{StylesheetPath}}">
        </head>
        <body>
        <main class="card" aria-labelledby="title">
          <div class="brand" aria-hidden="true">
            <svg viewBox="0 0 24 24" width="28" height="28" focusable="false"><rect x="4" y="10" width="16" height="11" rx="2.5"/><path d="M8 10V7a4 4 0 0 1 8 0v3" fill="none" stroke-width="2"/><circle cx="12" cy="15.5" r="1.6" class="hole"/></svg>
            <span>Latchkey</span>
          </div>

        """);

    /// <summary>Closes <c>&lt;main&gt;</c>, adds the footer and an optional script (which must carry the page's CSP nonce).</summary>
    public static StringBuilder Close(StringBuilder html, string? scriptNonce = null, string? script = null)
    {
        html.Append("""

            </main>
            <footer class="footer">Secured by Latchkey</footer>

            """);
        if (script is not null)
        {
            html.Append("<script nonce=\"").Append(scriptNonce).Append("\">").Append(script).Append("</script>\n");
        }

        return html.Append("</body>\n</html>\n");
    }
}
