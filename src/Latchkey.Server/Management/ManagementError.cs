using System.Text.Json.Serialization;

namespace Latchkey.Server.Management;

/// <summary>
/// Auth0's Management API error body: <c>{"statusCode","error","message","errorCode"}</c> (docs/reference/auth0-wire.md R15.4).
/// </summary>
internal sealed record ManagementError(
    [property: JsonPropertyName("statusCode")] int StatusCode,
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("errorCode")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ErrorCode = null,
    [property: JsonPropertyName("attributes")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? Attributes = null);
