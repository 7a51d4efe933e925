using Latchkey.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Protocol.Keys;

/// <summary>
/// Starts scheduled rotations: every <see cref="KeyOptions.ScheduleCheckInterval"/> it re-reads the key rows (a
/// handful), rotates when the schedule says so, and lets the ring publish any change. Rotations and revocations made
/// elsewhere arrive sooner, through the tenant version (<see cref="ProtocolKeyRing"/>); this is also their fallback.
/// </summary>
/// <remarks>
/// The polling cadence is wall-clock time on purpose, not the injected <see cref="TimeProvider"/>: it is how often to
/// look, not when something is due (the ring decides that on the injected clock). A test clock moved by 90 days would
/// otherwise fire millions of ticks.
/// </remarks>
internal sealed class ProtocolKeyRefresher(ProtocolKeyRing keys, IOptions<LatchkeyOptions> options, ILogger<ProtocolKeyRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Keys.ScheduleCheckInterval, TimeProvider.System);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await keys.RefreshAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The database may be briefly unavailable: keep signing with the keys already loaded and try again.
                logger.LogWarning(exception, "Refreshing the signing keys failed.");
            }
        }
    }
}
