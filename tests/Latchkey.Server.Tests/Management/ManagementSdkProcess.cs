using System.Diagnostics;

namespace Latchkey.Server.Tests.Management;

/// <summary>
/// <c>tests/management-sdk/sdk-test.mjs</c> (Auth0's npm <c>auth0</c> ManagementClient) in a child node process. Runs
/// <c>npm ci</c> there first when node_modules is missing, so a fresh clone works without a manual step.
/// </summary>
internal static class ManagementSdkProcess
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    public static string Folder => Path.Combine(RepositoryRoot(), "tests", "management-sdk");

    /// <summary>Runs the script with <paramref name="environment"/>; returns its exit code, standard output lines and standard error.</summary>
    public static async Task<(int ExitCode, IReadOnlyList<string> Lines, string Errors)> RunAsync(IReadOnlyDictionary<string, string> environment, TimeSpan limit)
    {
        await InstallGate.WaitAsync();
        try
        {
            if (!File.Exists(Path.Combine(Folder, "node_modules", "auth0", "package.json")))
            {
                await InstallAsync();
            }
        }
        finally
        {
            InstallGate.Release();
        }

        var start = new ProcessStartInfo("node", "sdk-test.mjs")
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("node could not be started");
        using var timeout = new CancellationTokenSource(limit);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"sdk-test.mjs did not finish within {limit}");
        }

        return (process.ExitCode, (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries), await errors);
    }

    private static async Task InstallAsync()
    {
        // As scripts/install-deps.sh: npm ci from the lock file, npm install from it when this registry trips npm ci.
        foreach (var arguments in new[] { "ci --no-audit --no-fund --loglevel=error", "install --no-audit --no-fund --loglevel=error" })
        {
            using var process = Process.Start(new ProcessStartInfo("npm", arguments) { WorkingDirectory = Folder, UseShellExecute = false })
                ?? throw new InvalidOperationException("npm could not be started");
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await process.WaitForExitAsync(timeout.Token);
            if (process.ExitCode == 0)
            {
                return;
            }
        }

        throw new InvalidOperationException($"npm could not install {Folder}");
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
