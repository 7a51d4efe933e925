namespace Latchkey.Server.Tenants;

/// <summary>
/// Twice a second (<see cref="Interval"/>), compares the database's <see cref="TenantVersion"/> with this node's
/// <see cref="TenantCache"/> and reloads the cache when another node wrote: two primary-key reads per second per node,
/// off every request path, so the token endpoint pays nothing and a change made on any node is served everywhere within
/// a second (half a second of polling plus the reload). Users are read per request and need no such watch.
/// </summary>
/// <remarks>
/// The poll runs on the real clock, not the injected <see cref="TimeProvider"/>: the interval bounds staleness in wall
/// time, and a test that moves a fake clock 90 days ahead would otherwise run the poll fifteen million times inside
/// <c>FakeTimeProvider.Advance</c> (each tick's continuation runs inline, with a database read).
/// </remarks>
internal sealed class TenantVersionWatcher(TenantCache cache, ILogger<TenantVersionWatcher> logger) : BackgroundService
{
    /// <summary>The staleness bound for tenant configuration written by another node.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, TimeProvider.System);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (await cache.ReloadIfStaleAsync(stoppingToken))
                {
                    logger.LogInformation("Tenant configuration changed on another node; reloaded.");
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database is briefly unreachable: keep serving the snapshot we have and try again next tick.
                logger.LogWarning(ex, "Could not check the tenant version; serving the cached tenant.");
            }
        }
    }
}
