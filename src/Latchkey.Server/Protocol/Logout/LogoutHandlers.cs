using System.Collections.Immutable;
using Latchkey.Server.Protocol.Requests;
using Latchkey.Server.Protocol.Responses;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Protocol.Logout;

/// <summary>
/// <c>/v2/logout</c> (Auth0) and <c>/oidc/logout</c> (RP-initiated logout): our handlers in OpenIddict's end-session
/// pipeline, in the order they run. Between validation and the response, the passthrough action
/// <see cref="LogoutEndpoint"/> ends the session and picks the redirect.
/// </summary>
internal static class LogoutHandlers
{
    public static ImmutableArray<OpenIddictServerHandlerDescriptor> DefaultHandlers { get; } =
    [
        // Extract: GET query or POST form, bounded; then Auth0's returnTo becomes post_logout_redirect_uri, so OpenIddict validates it.
        ExtractQueryOrFormRequest<ExtractEndSessionRequestContext>.Descriptor,
        MapReturnToParameter.Descriptor,

        // Handle: LogoutEndpoint (the passthrough action, mapped by MapLatchkeyProtocol).

        // Apply response: an error page when the target cannot be trusted.
        RenderErrorPage<ApplyEndSessionResponseContext>.Descriptor,
    ];
}
