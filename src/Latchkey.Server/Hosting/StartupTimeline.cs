using System.Diagnostics;

namespace Latchkey.Server.Hosting;

/// <summary>
/// Where a start's time goes (issue 12, docs/performance.md finding 5): each step logs, at Debug, when it ended in
/// milliseconds since the process started, how long it took, and the process's CPU time in it (all threads: on a loaded
/// machine the wall clock measures the machine, the CPU time much less so). Off unless asked for:
/// <c>--Logging:LogLevel:Latchkey.Server.Hosting.StartupTimeline Debug</c>, with the server's output written to a file.
/// </summary>
internal static class StartupTimeline
{
    private const string Category = "Latchkey.Server.Hosting.StartupTimeline";

    /// <summary>The process's own start (from the kernel), so the runtime's and the host's start-up are counted too.</summary>
    private static readonly DateTime ProcessStart = ReadProcessStart();

    /// <summary>Milliseconds since the process started.</summary>
    public static long Now => (long)(DateTime.UtcNow - ProcessStart).TotalMilliseconds;

    /// <summary>The process's CPU time when the previous step was marked (0: the process's start).</summary>
    private static long s_cpuAtLastMark;

    /// <summary>Logs that <paramref name="step"/>, begun at <paramref name="startedAt"/> (<see cref="Now"/>), has ended; returns <see cref="Now"/> for the next step.</summary>
    public static long Mark(ILoggerFactory loggers, string step, long startedAt)
    {
        var now = Now;
        var logger = loggers.CreateLogger(Category);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            // CPU since the previous mark (steps nest: "tenant" spans its sub-steps, so its CPU is the last sub-step's
            // remainder); the wall-clock duration is the step's own.
            var cpu = (long)Environment.CpuUsage.TotalTime.TotalMilliseconds;
            var since = cpu - Interlocked.Exchange(ref s_cpuAtLastMark, cpu);
            logger.LogDebug("Start-up: {Step} took {Duration} ms ({Cpu} ms CPU since the previous step), done at {SinceProcessStart} ms ({TotalCpu} ms CPU).", step, now - startedAt, since, now, cpu);
        }

        return now;
    }

    /// <inheritdoc cref="Mark(ILoggerFactory, string, long)"/>
    public static long Mark(IServiceProvider services, string step, long startedAt) =>
        Mark(services.GetRequiredService<ILoggerFactory>(), step, startedAt);

    private static DateTime ReadProcessStart()
    {
        using var process = Process.GetCurrentProcess();
        return process.StartTime.ToUniversalTime();
    }
}
