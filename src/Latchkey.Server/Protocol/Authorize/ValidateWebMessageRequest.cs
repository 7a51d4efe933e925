using Latchkey.Server.Hosting.Cors;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Protocol.Authorize;

/// <summary>
/// A <c>web_message</c> request is accepted only when the redirect_uri is an http(s) URL whose origin is one of the
/// Application's web origins, as Auth0 requires for silent authentication ("Allowed Web Origins"). The page posts
/// the result to that origin and may be framed only by web origins, so anything else could never work and is better
/// reported on an error page (never delivered) than left to time out in a hidden iframe.
/// Runs after OpenIddict has matched the redirect_uri against the registered callbacks.
/// </summary>
internal sealed class ValidateWebMessageRequest(ClientOrigins origins) : IOpenIddictServerHandler<ValidateAuthorizationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateAuthorizationRequestContext>()
            .UseSingletonHandler<ValidateWebMessageRequest>()
            .SetOrder(OpenIddictServerHandlers.Authentication.ValidateClientRedirectUri.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ValidateAuthorizationRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        if (!string.Equals(context.Request.ResponseMode, ApplyWebMessageResponse.ResponseMode, StringComparison.Ordinal))
        {
            return;
        }

        var redirectUri = context.RedirectUri ?? context.Request.RedirectUri;
        var origin = ClientOrigins.Normalize(redirectUri);
        var allowed = origin is not null
            && (await origins.GetWebOriginsAsync(context.ClientId, CancellationToken.None)).Contains(origin, StringComparer.Ordinal);
        if (!allowed)
        {
            // Auth0's wording for the same check.
            context.Reject(
                error: OpenIddictConstants.Errors.InvalidRequest,
                description: $"The specified redirect_uri '{redirectUri}' does not have a registered origin.");
        }
    }
}
