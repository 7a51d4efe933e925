using System.Diagnostics;

namespace Latchkey.AspNetCore.Tests.Infrastructure;

/// <summary>
/// tests/differential/server.mjs (express + express-oauth2-jwt-bearer from npm) in a child node process on 127.0.0.1.
/// Runs <c>npm ci</c> there first when node_modules is missing.
/// </summary>
public sealed class ExpressApi : IAsyncDisposable
{
    // Test classes run in parallel; only one of them may run npm ci in the folder.
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    private readonly Process _process;

    private ExpressApi(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public static string Folder => Path.Combine(RepositoryRoot(), "tests", "differential");

    public static async Task<ExpressApi> StartAsync(string issuer, string audience = TestAuthority.Audience)
    {
        await InstallGate.WaitAsync();
        try
        {
            if (!File.Exists(Path.Combine(Folder, "node_modules", "express-oauth2-jwt-bearer", "package.json")))
            {
                await RunAsync("npm", "ci --no-audit --no-fund --loglevel=error", TimeSpan.FromMinutes(3));
            }
        }
        finally
        {
            InstallGate.Release();
        }

        var start = new ProcessStartInfo("node", "server.mjs")
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ISSUER"] = issuer;
        start.Environment["AUDIENCE"] = audience;
        start.Environment["PORT"] = "0";
        var process = Process.Start(start) ?? throw new InvalidOperationException("node could not be started");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                ?? throw new InvalidOperationException("node exited: " + await process.StandardError.ReadToEndAsync(timeout.Token));
            if (line.StartsWith("listening ", StringComparison.Ordinal))
            {
                return new ExpressApi(process, new Uri($"http://127.0.0.1:{line["listening ".Length..]}/"));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static async Task RunAsync(string file, string arguments, TimeSpan limit)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { WorkingDirectory = Folder, UseShellExecute = false })
            ?? throw new InvalidOperationException($"{file} could not be started");
        using var timeout = new CancellationTokenSource(limit);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} failed with exit code {process.ExitCode}");
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Latchkey.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Latchkey.slnx not found above " + AppContext.BaseDirectory);
    }
}
