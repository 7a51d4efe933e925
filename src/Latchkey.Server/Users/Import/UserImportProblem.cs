using System.Text.Json.Serialization;

namespace Latchkey.Server.Users.Import;

/// <summary>One problem with one imported user, in Auth0's shape (<c>GET /api/v2/jobs/{id}/errors</c>).</summary>
internal sealed record UserImportProblem(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("path")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Path);
