using System.Net;
using System.Text.Json.Nodes;

namespace Latchkey.Server.Logs;

/// <summary>
/// What a feature reports to <see cref="TenantLog.Write"/>: the event type and whatever of Auth0's members it knows.
/// <c>client_name</c> and a missing <c>user_name</c> are filled in by the writer, off the request path.
/// <see cref="Details"/> must never hold a token, code, password or secret (SecretsInLogsTests checks the stored log).
/// </summary>
internal sealed record LogEntry(string Type)
{
    /// <summary>Longest text kept in one member; a longer user agent or description is cut.</summary>
    public const int MaxTextLength = 512;

    public string? Description { get; init; }

    public string? ClientId { get; init; }

    public string? Ip { get; init; }

    public string? UserAgent { get; init; }

    public string? UserId { get; init; }

    public string? UserName { get; init; }

    public JsonObject? Details { get; init; }

    /// <summary>An entry for a request: its client address (after the forwarded-headers rules) and user agent.</summary>
    public static LogEntry For(HttpContext http, string type)
    {
        ArgumentNullException.ThrowIfNull(http);
        return new LogEntry(type)
        {
            Ip = Address(http.Connection.RemoteIpAddress),
            UserAgent = http.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null,
        };
    }

    private static string? Address(IPAddress? address) =>
        address is null ? null : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
}
