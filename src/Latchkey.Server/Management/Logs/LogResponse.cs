using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Latchkey.Server.Logs;

namespace Latchkey.Server.Management.Logs;

/// <summary>
/// Auth0's log event object (<c>GET /api/v2/logs</c>, docs/logs.md). Members the event does not have are left out, as
/// Auth0 does; every member is optional so that <c>fields</c>/<c>include_fields</c> can leave members out too.
/// </summary>
internal sealed record LogResponse : IPagedItem
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    public static string Collection => "logs";

    [JsonPropertyName("date")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Date { get; init; }

    [JsonPropertyName("type")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Type { get; init; }

    [JsonPropertyName("description")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Description { get; init; }

    [JsonPropertyName("client_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ClientId { get; init; }

    [JsonPropertyName("client_name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ClientName { get; init; }

    [JsonPropertyName("ip")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Ip { get; init; }

    [JsonPropertyName("user_agent")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? UserAgent { get; init; }

    [JsonPropertyName("user_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? UserId { get; init; }

    [JsonPropertyName("user_name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? UserName { get; init; }

    [JsonPropertyName("details")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonObject? Details { get; init; }

    [JsonPropertyName("log_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? LogId { get; init; }

    /// <summary>Auth0 sets it from the user agent; the login pages here do not tell, so it is always false.</summary>
    [JsonPropertyName("isMobile")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? IsMobile { get; init; }

    public static LogResponse From(LogEvent entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new LogResponse
        {
            Date = entry.Date.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            Type = entry.Type,
            Description = entry.Description,
            ClientId = entry.ClientId,
            ClientName = entry.ClientName,
            Ip = entry.Ip,
            UserAgent = entry.UserAgent,
            UserId = entry.UserId,
            UserName = entry.UserName,
            Details = entry.Details is null ? null : JsonNode.Parse(entry.Details) as JsonObject,
            LogId = entry.LogId,
            IsMobile = false,
        };
    }

    /// <summary>Auth0's <c>fields</c>/<c>include_fields</c>: only the listed members (<paramref name="include"/>), or all but them.</summary>
    public LogResponse Select(IReadOnlySet<string> fields, bool include)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var json = JsonSerializer.SerializeToNode(this, Json)!.AsObject();
        foreach (var name in json.Select(p => p.Key).ToList())
        {
            if (fields.Contains(name) != include)
            {
                json.Remove(name);
            }
        }

        return json.Deserialize<LogResponse>(Json)!;
    }
}
