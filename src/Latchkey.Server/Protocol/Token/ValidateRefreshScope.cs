using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Protocol.Token;

/// <summary>
/// RFC 6749 §6: a refresh may narrow the scope but not widen it, and widening is <c>invalid_scope</c>. OpenIddict
/// answers <c>invalid_grant</c>, which the Auth0 normalisation would then report as an unknown refresh token,
/// misleading the client; this check runs first with the RFC's error.
/// </summary>
internal sealed class ValidateRefreshScope : IOpenIddictServerHandler<ValidateTokenRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
            .UseSingletonHandler<ValidateRefreshScope>()
            .SetOrder(OpenIddictServerHandlers.Exchange.ValidateGrantedScopes.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ValidateTokenRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Request.IsRefreshTokenGrantType() || string.IsNullOrEmpty(context.Request.Scope) || context.RefreshTokenPrincipal is not { } granted)
        {
            return ValueTask.CompletedTask;
        }

        if (!granted.GetScopes().ToHashSet(StringComparer.Ordinal).IsSupersetOf(context.Request.GetScopes()))
        {
            context.Reject(Errors.InvalidScope, "The requested scope exceeds the scope originally granted.");
        }

        return ValueTask.CompletedTask;
    }
}
