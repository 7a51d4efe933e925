using Latchkey.Server.Hosting;
using Latchkey.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Logs;

/// <summary>
/// Deletes tenant log entries older than <c>Latchkey:Logs:Retention</c>, every <c>Latchkey:Logs:PruneInterval</c> (on
/// the injected clock). Nodes sharing a PostgreSQL database skip the pass while another holds
/// <see cref="AdvisoryLock.LogPruneKey"/>, so one node prunes.
/// </summary>
internal sealed class TenantLogPruner(
    IServiceProvider services,
    IOptions<LatchkeyOptions> options,
    TimeProvider time,
    ILogger<TenantLogPruner> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Logs.PruneInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await PruneAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // A failed pass (database briefly unavailable) is retried at the next tick; it must not stop the host.
                logger.LogWarning(exception, "Pruning the tenant log failed.");
            }
        }
    }

    /// <summary>Returns how many entries were deleted, or <c>null</c> when another node holds the pass.</summary>
    internal async Task<int?> PruneAsync(CancellationToken cancellationToken)
    {
        await using var lease = await AdvisoryLock.TryAcquireAsync(services, AdvisoryLock.LogPruneKey, cancellationToken);
        if (lease is null)
        {
            return null;
        }

        var cutoff = time.GetUtcNow() - options.Value.Logs.Retention;
        await using var scope = services.CreateAsyncScope();
        var deleted = await scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>().Set<LogEvent>()
            .Where(e => e.Date < cutoff)
            .ExecuteDeleteAsync(cancellationToken);
        if (deleted > 0)
        {
            logger.LogInformation("Pruned {Count} tenant log entries older than {Cutoff}.", deleted, cutoff);
        }

        return deleted;
    }
}
