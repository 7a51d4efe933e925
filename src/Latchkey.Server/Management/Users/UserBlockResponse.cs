using System.Text.Json.Serialization;

namespace Latchkey.Server.Management.Users;

/// <summary>One blocked (identifier, IP) pair.</summary>
internal sealed record UserBlockResponse(
    [property: JsonPropertyName("identifier")] string Identifier,
    [property: JsonPropertyName("ip")] string Ip);
