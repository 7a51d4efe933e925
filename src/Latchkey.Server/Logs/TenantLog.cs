using System.Threading.Channels;
using Latchkey.Server.Hosting;
using Latchkey.Server.Operations;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Logs;

/// <summary>
/// Where features report tenant log events. <see cref="Write"/> never waits: it stamps the time and puts the entry on a
/// bounded in-memory queue that <see cref="TenantLogWriter"/> drains in batches, so the token endpoint and the login
/// pages pay one allocation and a lock-free enqueue. A full queue drops the entry and counts it
/// (<c>latchkey.logs.dropped</c>) rather than slow the request (docs/logs.md, "Queue").
/// </summary>
internal sealed class TenantLog
{
    private readonly Channel<QueuedLogEntry> _queue;
    private readonly TimeProvider _time;
    private readonly LatchkeyMetrics _metrics;

    public TenantLog(IOptions<LatchkeyOptions> options, TimeProvider time, LatchkeyMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value.Logs;
        Enabled = settings.Enabled;
        _time = time;
        _metrics = metrics;
        _queue = Channel.CreateBounded<QueuedLogEntry>(new BoundedChannelOptions(settings.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
    }

    /// <summary><c>Latchkey:Logs:Enabled</c>: callers may skip building an entry when nothing records it.</summary>
    public bool Enabled { get; }

    internal ChannelReader<QueuedLogEntry> Reader => _queue.Reader;

    public void Write(LogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (Enabled && !_queue.Writer.TryWrite(new QueuedLogEntry(entry, _time.GetUtcNow())))
        {
            _metrics.LogEntriesDropped(1);
        }
    }

    /// <summary>Refuses further entries (the host is stopping); what is queued is still read.</summary>
    internal void Complete() => _queue.Writer.TryComplete();
}

internal readonly record struct QueuedLogEntry(LogEntry Entry, DateTimeOffset Date);
