using System.Text.Json;
using Latchkey.Server.Hosting;
using Latchkey.Server.Operations;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tenants;
using Latchkey.Server.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Logs;

/// <summary>
/// Drains <see cref="TenantLog"/>'s queue into <c>LogEvents</c>, up to <c>Latchkey:Logs:BatchSize</c> rows per
/// transaction (<see cref="LogEventInserter"/>), and fills in what the request path left out (<c>client_name</c> from
/// the tenant snapshot, <c>user_name</c> for events that knew only the user id). On a graceful stop, which runs after Kestrel has drained the requests in
/// flight, it writes everything still queued before the host exits (docs/architecture.md, "Operations").
/// </summary>
internal sealed class TenantLogWriter(
    TenantLog log,
    IServiceScopeFactory scopes,
    TenantCache tenants,
    IOptions<LatchkeyOptions> options,
    TimeProvider time,
    LatchkeyMetrics metrics,
    ILogger<TenantLogWriter> logger) : BackgroundService
{
    private readonly int _batchSize = options.Value.Logs.BatchSize;

    // One context for the writer's life, not one per batch: under token load a batch is a few entries, and a new
    // DbContext per batch (its scope, EF Core's model and internal services) cost more CPU than the inserts themselves
    // (docs/performance.md, "Tenant log"). The inserts bypass the change tracker and the user-name query is untracked,
    // so nothing accumulates in it; batches never overlap (the drain in StopAsync starts after ExecuteAsync ended).
    private AsyncServiceScope? _scope;
    private LatchkeyDbContext? _db;

    private LatchkeyDbContext Db => _db ??= (_scope = scopes.CreateAsyncScope()).Value.ServiceProvider.GetRequiredService<LatchkeyDbContext>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await log.Reader.WaitToReadAsync(stoppingToken))
            {
                // Not stoppingToken: a batch already read is written even when the stop comes meanwhile.
                await WriteBatchAsync(CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync writes the rest.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        log.Complete();
        while (log.Reader.TryPeek(out _) && !cancellationToken.IsCancellationRequested)
        {
            await WriteBatchAsync(cancellationToken);
        }
    }

    private async Task WriteBatchAsync(CancellationToken cancellationToken)
    {
        var batch = new List<QueuedLogEntry>(_batchSize);
        while (batch.Count < _batchSize && log.Reader.TryRead(out var queued))
        {
            batch.Add(queued);
        }

        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            var db = Db;
            var tenant = await tenants.GetAsync(cancellationToken);
            var userNames = await UserNamesAsync(db, batch, cancellationToken);
            var storedAt = time.GetUtcNow();
            var rows = new List<LogEvent>(batch.Count);
            foreach (var (entry, date) in batch)
            {
                rows.Add(new LogEvent
                {
                    LogId = LogIds.Next(storedAt),
                    Date = date,
                    Type = entry.Type,
                    Description = Cut(entry.Description ?? LogEventTypes.Names.GetValueOrDefault(entry.Type)),
                    ClientId = Cut(entry.ClientId),
                    ClientName = Cut(entry.ClientId is { } clientId && tenant.Applications.TryGetValue(clientId, out var application) ? application.Name : null),
                    Ip = entry.Ip,
                    UserAgent = Cut(entry.UserAgent),
                    UserId = Cut(entry.UserId),
                    UserName = Cut(entry.UserName ?? (entry.UserId is { } userId ? userNames.GetValueOrDefault(userId) : null)),
                    Details = entry.Details?.ToJsonString(),
                });
            }

            await LogEventInserter.InsertAsync(db, rows, metrics, cancellationToken);
        }
        catch (Exception exception) when (exception is DbUpdateException or InvalidOperationException or JsonException or System.Data.Common.DbException or TimeoutException)
        {
            // The database is down or refused the batch: the entries are counted as dropped, the request path never waits.
            metrics.LogEntriesDropped(batch.Count);
            logger.LogWarning(exception, "Writing {Count} tenant log entries failed; they were dropped.", batch.Count);
        }
    }

    public override void Dispose()
    {
        _scope?.Dispose();
        base.Dispose();
    }

    /// <summary>One query for the emails of the users the batch names without one.</summary>
    private static async Task<Dictionary<string, string>> UserNamesAsync(LatchkeyDbContext db, List<QueuedLogEntry> batch, CancellationToken cancellationToken)
    {
        var ids = batch.Where(q => q.Entry.UserName is null && q.Entry.UserId is not null)
            .Select(q => q.Entry.UserId!).Distinct(StringComparer.Ordinal).ToList();
        return ids.Count == 0
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : await db.Set<User>().AsNoTracking().Where(u => ids.Contains(u.UserId))
                .ToDictionaryAsync(u => u.UserId, u => u.Email, StringComparer.Ordinal, cancellationToken);
    }

    private static string? Cut(string? value) =>
        value is { Length: > LogEntry.MaxTextLength } ? value[..LogEntry.MaxTextLength] : value;
}
