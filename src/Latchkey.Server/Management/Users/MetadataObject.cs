using System.Text.Json.Nodes;

namespace Latchkey.Server.Management.Users;

/// <summary>The stored form of <c>user_metadata</c> and <c>app_metadata</c>: a JSON object in a string column.</summary>
internal static class MetadataObject
{
    public static JsonObject Parse(string json) => JsonNode.Parse(string.IsNullOrWhiteSpace(json) ? "{}" : json) as JsonObject ?? [];
}
