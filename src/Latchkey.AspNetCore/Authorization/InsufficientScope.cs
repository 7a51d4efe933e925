using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace Latchkey.AspNetCore.Authorization;

/// <summary>Passes the scopes a failed requirement wanted to the 403 challenge (<c>scope="…"</c>, RFC 6750 §3.1).</summary>
internal static class InsufficientScope
{
    public const string ItemKey = "Latchkey.InsufficientScope";

    public static void Record(AuthorizationHandlerContext context, string scopes)
    {
        if (context.Resource is HttpContext http)
        {
            http.Items[ItemKey] = scopes;
        }
    }
}
