using Latchkey.Server.Users;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Protocol.Token;

/// <summary>
/// Auth0's refresh-token error: every unknown, expired, revoked or replayed refresh token answers exactly
/// <c>{"error":"invalid_grant","error_description":"Unknown or invalid refresh token."}</c>. auth0-spa-js matches the
/// text "invalid refresh token" to fall back to the iframe (docs/reference/auth0-wire.md R4.8). The blocked-user text is kept because
/// the SDK matches "user is blocked" too.
/// </summary>
internal sealed class NormalizeTokenErrors : IOpenIddictServerHandler<ApplyTokenResponseContext>
{
    internal const string UnknownRefreshToken = "Unknown or invalid refresh token.";

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
            .UseSingletonHandler<NormalizeTokenErrors>()
            .SetOrder(OpenIddictServerHandlers.Exchange.NormalizeErrorResponse.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ApplyTokenResponseContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request?.IsRefreshTokenGrantType() == true
            && context.Response.Error == Errors.InvalidGrant
            && context.Response.ErrorDescription != UserAccess.BlockedDescription)
        {
            context.Response.ErrorDescription = UnknownRefreshToken;
        }

        return ValueTask.CompletedTask;
    }
}
