using System.Text.Json.Serialization;
using Latchkey.Server.Management.Tickets;

namespace Latchkey.Server.Management.Jobs;

/// <summary>Auth0's <c>POST /api/v2/jobs/verification-email</c> body.</summary>
internal sealed record VerificationEmailJobRequest
{
    [JsonPropertyName("user_id")]
    public required string UserId { get; init; }

    /// <summary>The Application named in the message and on the page's way back.</summary>
    [JsonPropertyName("client_id")]
    public string? ClientId { get; init; }

    [JsonPropertyName("identity")]
    public TicketIdentity? Identity { get; init; }
}
