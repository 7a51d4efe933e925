namespace Latchkey.Server.Hosting;

/// <summary>
/// Splits the host's start (after <see cref="LatchkeyServer.BuildAsync"/>) into <see cref="StartupTimeline"/> steps. Two
/// instances: the first registered hosted service and the last one before ASP.NET Core's web host (which the
/// <c>WebApplicationBuilder</c> starts after every other hosted service). The host constructs every hosted service, then
/// calls each <see cref="StartingAsync"/>, each <see cref="StartAsync"/> in registration order, then each
/// <see cref="StartedAsync"/>; so the first instance's <see cref="StartingAsync"/> ends "hosted services constructed",
/// the last one's <see cref="StartAsync"/> ends "hosted services started", and the first one's
/// <see cref="StartedAsync"/> ends the web host's start (the request pipeline built, Kestrel listening).
/// </summary>
internal sealed class StartupTimelineMarks(ILoggerFactory loggers, bool first) : IHostedLifecycleService
{
    private static long s_step;

    /// <summary>Where the host's start begins: the end of <see cref="LatchkeyServer.BuildAsync"/>.</summary>
    public static void Begin(long step) => Interlocked.Exchange(ref s_step, step);

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        if (first)
        {
            Mark("host: options validated, hosted services constructed");
        }

        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!first)
        {
            Mark("host: hosted services started (StartAsync)");
        }

        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        if (first)
        {
            Mark("host: web host started (request pipeline built, Kestrel listening)");
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Mark(string step) => Interlocked.Exchange(ref s_step, StartupTimeline.Mark(loggers, step, Interlocked.Read(ref s_step)));
}
