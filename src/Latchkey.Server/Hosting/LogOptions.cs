namespace Latchkey.Server.Hosting;

/// <summary><c>Latchkey:Logs</c>: the tenant log (<c>GET /api/v2/logs</c>; docs/logs.md).</summary>
public sealed class LogOptions
{
    /// <summary>Record tenant log events at all. Off: nothing is queued or stored, and <c>GET /api/v2/logs</c> answers what is already stored.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long an entry is kept before the pruning job deletes it (Auth0 keeps 2 to 30 days by plan).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often one node deletes entries older than <see cref="Retention"/>.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Entries waiting in memory to be written. When the database falls this far behind, new entries are dropped and
    /// counted (<c>latchkey.logs.dropped</c>) instead of slowing the request that caused them.
    /// </summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>Entries written in one database round trip.</summary>
    public int BatchSize { get; set; } = 500;
}
