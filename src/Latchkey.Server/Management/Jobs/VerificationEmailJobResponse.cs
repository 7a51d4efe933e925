using System.Text.Json.Serialization;

namespace Latchkey.Server.Management.Jobs;

/// <summary>Auth0's job object for a verification email: <c>{type: "verification_email", status, created_at, id: "job_…"}</c>.</summary>
internal sealed record VerificationEmailJobResponse(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("created_at")] string CreatedAt,
    [property: JsonPropertyName("id")] string Id);
