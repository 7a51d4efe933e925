using Latchkey.AspNetCore.Caching;

namespace Latchkey.AspNetCore.Authentication;

/// <summary>
/// The last token seen on one HTTP/1.x connection. Kestrel hands out the same string instance for a header whose bytes
/// did not change since the connection's previous request, so a reference-equal header is the same token and the
/// SHA-256 lookup can be skipped. HTTP/1.x only: its requests on a connection never overlap.
/// </summary>
internal sealed class ConnectionTokenMemo
{
    public const string ItemKey = "Latchkey.ConnectionTokenMemo";

    public string? Header { get; set; }

    public CachedToken? Entry { get; set; }
}
