using System.Collections.Frozen;
using System.Text;
using System.Text.Encodings.Web;
using Latchkey.Server.Hosting;
using Latchkey.Server.Login;
using Latchkey.Server.Protocol.UserTokens;
using Latchkey.Server.Sessions;
using Latchkey.Server.Tenants;
using Latchkey.Server.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Dashboard;

/// <summary>
/// <c>GET /dashboard</c> and its static files (docs/dashboard.md). The page is a build-free single-page app: every read
/// and write it makes is an <c>/api/v2</c> call with the administrator's own access token, so what it may do is decided
/// by the Management API's own scope checks (docs/decisions/0001-dashboard-stack.md). The page itself is gated here on
/// the login session: no session → the shell, whose script starts the login; a session whose user holds no Management
/// API permission → 403 "not allowed", with no tenant data.
/// </summary>
internal static class DashboardEndpoints
{
    public const string AssetsPath = DashboardDefinition.Path + "/assets";

    // Scripts only from this server (no inline script, no eval); the silent-authentication iframe is /authorize on this
    // origin; nothing may frame the dashboard (clickjacking).
    internal const string ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>
    {
        ["app.js"] = "text/javascript; charset=utf-8",
        ["app.css"] = "text/css; charset=utf-8",
        ["auth0-spa-js.production.esm.js"] = "text/javascript; charset=utf-8",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly Lazy<FrozenDictionary<string, byte[]>> Assets = new(() =>
        ContentTypes.Keys.ToFrozenDictionary(name => name, Read, StringComparer.Ordinal));

    public static void Map(WebApplication app)
    {
        app.MapGet(DashboardDefinition.Path, ShowAsync);
        app.MapGet(AssetsPath + "/{name}", (string name, HttpContext http) =>
        {
            if (!ContentTypes.TryGetValue(name, out var contentType))
            {
                return Results.NotFound();
            }

            http.Response.Headers.CacheControl = "no-cache";
            http.Response.Headers.XContentTypeOptions = "nosniff";
            return Results.Bytes(Assets.Value[name], contentType);
        });
    }

    private static async Task<IResult> ShowAsync(HttpContext http, UserAccess users, TenantCache tenants, IOptions<LatchkeyOptions> options)
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        var issuer = options.Value.Issuer!;

        var session = await http.AuthenticateAsync(SessionDefaults.AuthenticationScheme);
        if (session.Succeeded)
        {
            var (user, denial) = await users.FindAsync(session.Principal.FindFirst("sub")?.Value, http.RequestAborted);
            var tenant = await tenants.GetAsync(http.RequestAborted);
            if (user is null || denial != UserDenial.None || !HasManagementPermission(user, tenant, issuer))
            {
                return Results.Content(NotAllowed(user?.Email, issuer), "text/html; charset=utf-8", Encoding.UTF8, StatusCodes.Status403Forbidden);
            }
        }

        return Results.Content(Shell(issuer), "text/html; charset=utf-8", Encoding.UTF8);
    }

    /// <summary>
    /// Any Management API permission beyond the current-user scopes, through a role or directly: the same rule that
    /// decides what the user's Management API token carries (<see cref="UserGrantPolicy"/>).
    /// </summary>
    internal static bool HasManagementPermission(User user, TenantSnapshot tenant, Uri issuer) =>
        tenant.Apis.TryGetValue(ManagementApiDefinition.IdentifierFor(issuer), out var api)
        && UserGrantPolicy.UserPermissions(user, api, tenant).Exists(p => !ManagementScopes.IsCurrentUserScope(p));

    /// <summary>The app's page: the issuer travels in a meta tag, because the CSP allows no inline script.</summary>
    private static string Shell(Uri issuer)
    {
        var encoder = HtmlEncoder.Default;
        return $$"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex, nofollow">
            <meta name="latchkey-issuer" content="{{encoder.Encode(issuer.AbsoluteUri)}}">
            <meta name="latchkey-client-id" content="{{DashboardDefinition.ClientId}}">
            <meta name="latchkey-scopes" content="{{string.Join(' ', ManagementScopes.All.Where(s => !ManagementScopes.IsCurrentUserScope(s)))}}">
            <title>Dashboard · Latchkey</title>
            <link rel="stylesheet" href="{{AssetsPath}}/app.css">
            <script type="module" src="{{AssetsPath}}/app.js"></script>
            </head>
            <body>
            <div id="app" class="loading" aria-busy="true"><p class="splash">Loading the dashboard…</p></div>
            </body>
            </html>

            """;
    }

    /// <summary>The 403 page: who is signed in and how to switch account, nothing about the tenant.</summary>
    private static string NotAllowed(string? email, Uri issuer)
    {
        var encoder = HtmlEncoder.Default;
        var logout = $"/v2/logout?client_id={DashboardDefinition.ClientId}&returnTo={UrlEncoder.Default.Encode(DashboardDefinition.UrlFor(issuer))}";
        var html = PageShell.Open(new StringBuilder(), "Not allowed");
        html.Append("<h1 id=\"title\">Not allowed</h1>\n<p>")
            .Append(email is null ? "Your account" : $"You are signed in as <strong>{encoder.Encode(email)}</strong>, which")
            .Append(" has no permission on the Management API, so the dashboard has nothing to show you. Ask a tenant administrator for a role, or sign in with another account.</p>\n")
            .Append("<p><a class=\"button\" href=\"").Append(encoder.Encode(logout)).Append("\">Sign out</a></p>");
        return PageShell.Close(html).ToString();
    }

    private static byte[] Read(string name)
    {
        var resource = "Latchkey.Server.Dashboard." + name;
        using var stream = typeof(DashboardEndpoints).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded resource {resource} is missing from the build.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
