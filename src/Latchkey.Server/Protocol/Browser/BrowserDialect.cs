using OpenIddict.Server;

namespace Latchkey.Server.Protocol.Browser;

/// <summary>
/// The browser-facing half of the protocol (authorize action, web_message, CORS, implicit flow, logout).
/// Owned by the browser work; the protocol core calls these two hooks.
/// </summary>
internal static class BrowserDialect
{
    internal static OpenIddictServerBuilder AddLatchkeyBrowserDialect(this OpenIddictServerBuilder builder) => builder;

    internal static WebApplication MapLatchkeyBrowserDialect(this WebApplication app) => app;
}
