using System.Text.Json.Serialization;

namespace Latchkey.Server.Management.Users;

/// <summary>Auth0's <c>GET /api/v2/user-blocks/{id}</c> body: the (identifier, IP) pairs blocked by brute-force protection.</summary>
internal sealed record UserBlocksResponse([property: JsonPropertyName("blocked_for")] IReadOnlyList<UserBlockResponse> BlockedFor);
