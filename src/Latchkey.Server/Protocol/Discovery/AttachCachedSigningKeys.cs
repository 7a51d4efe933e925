using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Protocol.Discovery;

/// <summary>
/// Serves the JWKS from keys converted once: OpenIddict re-exports every RSA key on each request (docs/reference/openiddict.md §10 measured
/// ≈2,800 req/s). Publishes the public parts only (<c>kty use alg kid n e</c>, plus <c>x5t</c>/<c>x5c</c> as Auth0
/// does) of every signing key that may still verify a token. The conversion is redone when OpenIddict's options are
/// rebuilt with a new key set (a rotation or revocation, <c>Keys/ProtocolKeyRing</c>): each build has its own
/// credentials list, so the list instance is the cache key.
/// </summary>
internal sealed class AttachCachedSigningKeys : IOpenIddictServerHandler<HandleJsonWebKeySetRequestContext>
{
    private volatile Converted? _converted;

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleJsonWebKeySetRequestContext>()
            .UseSingletonHandler<AttachCachedSigningKeys>()
            .SetOrder(OpenIddictServerHandlers.Discovery.AttachSigningKeys.Descriptor.Order)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(HandleJsonWebKeySetRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var converted = _converted;
        if (converted is null || !ReferenceEquals(converted.Source, context.Options.SigningCredentials))
        {
            converted = new Converted(context.Options.SigningCredentials, [.. context.Options.SigningCredentials.Select(ToJsonWebKey).OfType<JsonWebKey>()]);
            _converted = converted;
        }

        foreach (var key in converted.Keys)
        {
            context.Keys.Add(key);
        }

        return ValueTask.CompletedTask;
    }

    private static JsonWebKey? ToJsonWebKey(SigningCredentials credentials)
    {
        if (credentials.Key is not X509SecurityKey { PublicKey: RSA rsa } x509)
        {
            return null;
        }

        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        var key = new JsonWebKey
        {
            Kty = JsonWebAlgorithmsKeyTypes.RSA,
            Use = JsonWebKeyUseNames.Sig,
            Alg = SecurityAlgorithms.RsaSha256,
            Kid = credentials.Kid,
            N = Base64UrlEncoder.Encode(parameters.Modulus),
            E = Base64UrlEncoder.Encode(parameters.Exponent),
            X5t = Base64UrlEncoder.Encode(x509.Certificate.GetCertHash()),
        };
        key.X5c.Add(Convert.ToBase64String(x509.Certificate.RawData));
        return key;
    }

    private sealed record Converted(List<SigningCredentials> Source, JsonWebKey[] Keys);
}
