using Latchkey.AspNetCore.Caching;

namespace Latchkey.AspNetCore.Authentication;

/// <summary>
/// The last token seen on one HTTP/1.x connection. Kestrel hands out the same string instance for a header whose bytes
/// did not change since the connection's previous request, so a reference-equal header is the same token and the
/// SHA-256 lookup can be skipped. HTTP/1.x only: its requests on a connection never overlap.
/// A memo belongs to one validator (one scheme: its issuer and audience) and is stored in the connection's items under
/// that validator, so a token one scheme accepted is never taken as valid by another scheme on the same connection.
/// </summary>
internal sealed class ConnectionTokenMemo
{
    public string? Header { get; set; }

    public CachedToken? Entry { get; set; }
}
