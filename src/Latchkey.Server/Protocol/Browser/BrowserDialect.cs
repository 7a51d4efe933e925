using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Protocol.Browser;

/// <summary>
/// The browser-facing half of the protocol: the <c>/authorize</c> action, <c>response_mode=web_message</c>, CORS for
/// the SPA-facing endpoints, the implicit flow's limits, both logout dialects, and the protocol's own HTML pages.
/// The protocol core calls these two hooks; the CORS middleware itself is placed in the host, before authentication
/// (OpenIddict answers <c>/oauth/token</c> inside the authentication middleware).
/// </summary>
internal static class BrowserDialect
{
    internal static OpenIddictServerBuilder AddLatchkeyBrowserDialect(this OpenIddictServerBuilder builder)
    {
        // Auth0 silent authentication and popup login; also advertised in response_modes_supported.
        builder.Configure(options => options.ResponseModes.Add(ApplyWebMessageResponse.ResponseMode));

        builder.AddEventHandler(DropUngrantedOfflineAccess.Descriptor)
            .AddEventHandler(ValidateWebMessageRequest.Descriptor)
            .AddEventHandler(ApplyWebMessageResponse.Descriptor)
            .AddEventHandler(ApplyFormPostResponse.Descriptor)
            .AddEventHandler(RenderErrorPage<ApplyAuthorizationResponseContext>.Descriptor)
            .AddEventHandler(RenderErrorPage<ApplyEndSessionResponseContext>.Descriptor)
            .AddEventHandler(MapReturnToParameter.Descriptor);

        var services = builder.Services;
        services.TryAddSingleton<ClientOrigins>();
        services.TryAddSingleton<ReauthenticationMarker>();
        services.TryAddScoped<AuthorizeEndpoint>();
        services.TryAddScoped<LogoutEndpoint>();

        services.AddCors();
        services.Replace(ServiceDescriptor.Singleton<ICorsPolicyProvider, ClientCorsPolicyProvider>());

        return builder;
    }

    internal static WebApplication MapLatchkeyBrowserDialect(this WebApplication app)
    {
        // Statement lambdas with typed parameters: an HttpContext-only lambda would bind as a RequestDelegate and
        // silently drop the returned IResult (docs/reference/openiddict.md §1).
        app.MapMethods("/" + ProtocolPaths.Authorize, [HttpMethods.Get, HttpMethods.Post],
            async (HttpContext http, AuthorizeEndpoint endpoint) => await endpoint.HandleAsync(http));

        foreach (var path in new[] { ProtocolPaths.Auth0Logout, ProtocolPaths.OidcLogout })
        {
            app.MapMethods("/" + path, [HttpMethods.Get, HttpMethods.Post],
                async (HttpContext http, LogoutEndpoint endpoint) => await endpoint.HandleAsync(http));
        }

        return app;
    }
}
