using Microsoft.AspNetCore;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Protocol.Logout;

/// <summary>
/// Auth0's <c>/v2/logout</c> names its redirect target <c>returnTo</c> (camelCase; auth0-spa-js, auth0-js and the
/// Auth0 SDKs never send <c>post_logout_redirect_uri</c>). On that path only, <c>returnTo</c> becomes the request's
/// <c>post_logout_redirect_uri</c>, so OpenIddict validates it exactly like an RP-initiated logout target: an exact
/// match against the Application's allowed logout URLs (or, without <c>client_id</c>, any Application's — Auth0's
/// tenant-level list). A <c>post_logout_redirect_uri</c> sent to <c>/v2/logout</c> is ignored, as Auth0 ignores it.
/// </summary>
internal sealed class MapReturnToParameter : IOpenIddictServerHandler<ExtractEndSessionRequestContext>
{
    public const string Auth0LogoutPath = "/v2/logout";
    public const string ReturnToParameter = "returnTo";

    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<ExtractEndSessionRequestContext>()
            .AddFilter<OpenIddictServerAspNetCoreHandlerFilters.RequireHttpRequest>()
            .UseSingletonHandler<MapReturnToParameter>()
            .SetOrder(OpenIddictServerAspNetCoreHandlers.ExtractGetOrPostRequest<ExtractEndSessionRequestContext>.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ExtractEndSessionRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        var request = context.Transaction.GetHttpRequest();
        if (context.Request is null || request is null || !IsAuth0LogoutPath(request.Path))
        {
            return ValueTask.CompletedTask;
        }

        context.Request.PostLogoutRedirectUri = (string?)context.Request[ReturnToParameter];
        return ValueTask.CompletedTask;
    }

    public static bool IsAuth0LogoutPath(PathString path) => path.Equals(Auth0LogoutPath, StringComparison.OrdinalIgnoreCase);
}
