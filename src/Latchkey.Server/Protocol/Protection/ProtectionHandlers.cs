using System.Collections.Immutable;
using OpenIddict.Server;

namespace Latchkey.Server.Protocol.Protection;

/// <summary>
/// Token generation, whichever endpoint issues the token (OpenIddict's "protection" stage): what gets a database row,
/// and what the signed JWTs contain.
/// </summary>
internal static class ProtectionHandlers
{
    public static ImmutableArray<OpenIddictServerHandlerDescriptor> DefaultHandlers { get; } =
    [
        // Before the token entry is created: rows for codes and refresh tokens only.
        StoreOnlyDurableTokens.Descriptor,

        // Before signing: no engine-private claims, permissions always an array.
        OmitPrivateTokenClaims.Descriptor,
    ];
}
