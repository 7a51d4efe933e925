namespace Latchkey.Server.Logs;

/// <summary>
/// One tenant log entry (table <c>LogEvents</c>), with Auth0's members (docs/logs.md). Written only by
/// <see cref="TenantLogWriter"/>; read by <c>Management/Logs/LogsApi</c>.
/// </summary>
internal sealed class LogEvent
{
    /// <summary>Auth0's form (<see cref="LogIds"/>): ordered by the time the entry was stored, which checkpoint paging follows.</summary>
    public string LogId { get; set; } = string.Empty;

    /// <summary>When the event happened.</summary>
    public DateTimeOffset Date { get; set; }

    /// <summary>Auth0's event type code (<see cref="LogEventTypes"/>).</summary>
    public string Type { get; set; } = string.Empty;

    public string? Description { get; set; }

    public string? ClientId { get; set; }

    public string? ClientName { get; set; }

    public string? Ip { get; set; }

    public string? UserAgent { get; set; }

    public string? UserId { get; set; }

    public string? UserName { get; set; }

    /// <summary>A JSON object with what Auth0 puts in <c>details</c>; never a token, password or secret.</summary>
    public string? Details { get; set; }
}
