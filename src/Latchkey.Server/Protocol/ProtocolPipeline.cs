using System.Collections.Immutable;
using Latchkey.Server.Protocol.Authorize;
using Latchkey.Server.Protocol.Discovery;
using Latchkey.Server.Protocol.Logout;
using Latchkey.Server.Protocol.Protection;
using Latchkey.Server.Protocol.Token;
using Latchkey.Server.Protocol.UserInfo;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Protocol;

/// <summary>
/// The Auth0 dialect as a whole: our handlers, one ordered list per endpoint folder, and the OpenIddict built-ins we
/// take out. <see cref="ProtocolServiceCollectionExtensions"/> registers exactly these; a new handler joins its
/// endpoint's list, never the registration code.
/// </summary>
internal static class ProtocolPipeline
{
    public static ImmutableArray<OpenIddictServerHandlerDescriptor> Handlers { get; } =
    [
        .. AuthorizeHandlers.DefaultHandlers,
        .. TokenHandlers.DefaultHandlers,
        .. UserInfoHandlers.DefaultHandlers,
        .. LogoutHandlers.DefaultHandlers,
        .. DiscoveryHandlers.DefaultHandlers,
        .. ProtectionHandlers.DefaultHandlers,
    ];

    /// <summary>OpenIddict's handlers that Latchkey removes, each with the reason and what takes its place.</summary>
    public static ImmutableArray<OpenIddictServerHandlerDescriptor> RemovedBuiltIns { get; } =
    [
        // Auth0's `audience` is an API identifier, not RFC 8693's token-exchange audience, which OpenIddict 7 reserves it
        // for and rejects (docs/reference/openiddict.md §3). Audience/AudienceResolver checks it instead.
        OpenIddictServerHandlers.Authentication.ValidateAudienceParameter.Descriptor,
        OpenIddictServerHandlers.Exchange.ValidateAudienceParameter.Descriptor,

        // Form-only, unbounded extraction (JSON bodies refused, malformed bodies a 500): replaced by Requests/ readers
        // at the same order (docs/reference/openiddict.md §9).
        OpenIddictServerAspNetCoreHandlers.ExtractPostRequest<ExtractTokenRequestContext>.Descriptor,
        OpenIddictServerAspNetCoreHandlers.ExtractPostRequest<ExtractRevocationRequestContext>.Descriptor,
        OpenIddictServerAspNetCoreHandlers.ExtractGetOrPostRequest<ExtractUserInfoRequestContext>.Descriptor,
        OpenIddictServerAspNetCoreHandlers.ExtractGetOrPostRequest<ExtractAuthorizationRequestContext>.Descriptor,
        OpenIddictServerAspNetCoreHandlers.ExtractGetOrPostRequest<ExtractEndSessionRequestContext>.Descriptor,

        // Client secrets checked without a failed-attempt limit: replaced by Token/ValidateClientSecretWithThrottle
        // (429 too_many_attempts per Application and address).
        OpenIddictServerHandlers.ValidateClientSecret.Descriptor,

        // One global 30 s refresh reuse leeway: replaced by the client's own (Token/ValidateTokenEntryWithClientLeeway).
        OpenIddictServerHandlers.Protection.ValidateTokenEntry.Descriptor,

        // Re-exports every RSA key per JWKS request (≈2,800 req/s): replaced by Discovery/AttachCachedSigningKeys.
        OpenIddictServerHandlers.Discovery.AttachSigningKeys.Descriptor,
    ];
}
