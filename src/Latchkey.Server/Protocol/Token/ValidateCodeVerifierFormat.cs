using System.Text.RegularExpressions;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Protocol.Token;

/// <summary>
/// RFC 7636 §4.1: a <c>code_verifier</c> is 43 to 128 characters of <c>[A-Za-z0-9-._~]</c>. OpenIddict only compares
/// hashes, so a short (guessable) or malformed verifier would be accepted if its challenge matched.
/// </summary>
internal sealed partial class ValidateCodeVerifierFormat : IOpenIddictServerHandler<ValidateTokenRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
            .UseSingletonHandler<ValidateCodeVerifierFormat>()
            .SetOrder(OpenIddictServerHandlers.Exchange.ValidateProofKeyForCodeExchangeParameters.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ValidateTokenRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.IsAuthorizationCodeGrantType() && context.Request.CodeVerifier is { } verifier && !Verifier().IsMatch(verifier))
        {
            context.Reject(Errors.InvalidRequest, "The 'code_verifier' parameter must be 43 to 128 characters of [A-Za-z0-9-._~] (RFC 7636 §4.1).");
        }

        return ValueTask.CompletedTask;
    }

    [GeneratedRegex("^[A-Za-z0-9\\-._~]{43,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex Verifier();
}
