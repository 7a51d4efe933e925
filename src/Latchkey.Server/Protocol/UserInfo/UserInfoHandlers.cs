using System.Collections.Immutable;
using Latchkey.Server.Protocol.Requests;
using Latchkey.Server.Protocol.Responses;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Protocol.UserInfo;

/// <summary><c>/userinfo</c>: our handlers in OpenIddict's userinfo pipeline, in the order they run.</summary>
internal static class UserInfoHandlers
{
    public static ImmutableArray<OpenIddictServerHandlerDescriptor> DefaultHandlers { get; } =
    [
        // Extract: GET query or POST form, bounded.
        ExtractQueryOrFormRequest<ExtractUserInfoRequestContext>.Descriptor,

        // Handle: the current profile from the database.
        AttachUserInfoFromDatabase.Descriptor,

        // Apply response: Auth0's error body.
        OmitErrorUri<ApplyUserInfoResponseContext>.Descriptor,
    ];
}
