using System.Collections.Immutable;
using Latchkey.Server.Protocol.Requests;
using Latchkey.Server.Protocol.Responses;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Protocol.Authorize;

/// <summary>
/// <c>/authorize</c>: our handlers in OpenIddict's authorization pipeline, in the order they run (each descriptor's
/// <c>Order</c> places it relative to an OpenIddict built-in). Between validation and the response, the passthrough
/// action <see cref="AuthorizeEndpoint"/> decides who the user is and what they get.
/// </summary>
internal static class AuthorizeHandlers
{
    public static ImmutableArray<OpenIddictServerHandlerDescriptor> DefaultHandlers { get; } =
    [
        // Extract: GET query or POST form, bounded (a form of 1,025 fields or a NUL byte is a 400, not a 500).
        ExtractQueryOrFormRequest<ExtractAuthorizationRequestContext>.Descriptor,

        // Validate: Auth0 leniency first, then Auth0's extra checks once OpenIddict has matched the redirect_uri.
        DropUngrantedOfflineAccess.Descriptor,
        ValidateWebMessageRequest.Descriptor,

        // Handle: AuthorizeEndpoint (the passthrough action, mapped by MapLatchkeyProtocol).

        // Apply response: Auth0's web_message, our form_post page, and an error page when nothing can be sent back.
        ApplyWebMessageResponse.Descriptor,
        ApplyFormPostResponse.Descriptor,
        RenderErrorPage<ApplyAuthorizationResponseContext>.Descriptor,
    ];
}
