using System.Collections.Immutable;
using OpenIddict.Server;

namespace Latchkey.Server.Protocol.Discovery;

/// <summary><c>/.well-known/openid-configuration</c> and <c>/.well-known/jwks.json</c>: our handlers, in the order they run.</summary>
internal static class DiscoveryHandlers
{
    public static ImmutableArray<OpenIddictServerHandlerDescriptor> DefaultHandlers { get; } =
    [
        // Handle configuration requests: every URL from the issuer, never from the request's host.
        AttachEndpointsFromIssuer.Descriptor,

        // Handle JWKS requests: keys converted once.
        AttachCachedSigningKeys.Descriptor,
    ];
}
