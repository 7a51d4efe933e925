using System.Diagnostics;

namespace Latchkey.Server.Tests.Protocol.Browser;

/// <summary>
/// Runs Debian's headless Chromium (<c>/usr/bin/chromium</c>, installed by scripts/install-deps.sh) on one page and
/// returns the DOM after the page's scripts and frames have run. Each run has its own profile folder and is killed
/// (by its own process tree) if it outlives the deadline.
/// </summary>
internal static class HeadlessChromium
{
    public const string Executable = "/usr/bin/chromium";

    public static async Task<string> DumpDomAsync(string url, TimeSpan deadline)
    {
        Assert.True(File.Exists(Executable), $"{Executable} is missing: run scripts/install-deps.sh (apt-get install chromium).");
        var profile = Directory.CreateTempSubdirectory("latchkey-chromium-");
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--disable-extensions", "--disable-background-networking", $"--user-data-dir={profile.FullName}",
            "--virtual-time-budget=15000", "--dump-dom", url,
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Chromium did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"Chromium did not finish within {deadline}: {await errors}");
        }
        finally
        {
            try
            {
                profile.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A crash dump or lock file still open; the temp folder is cleaned by the OS.
            }
        }

        var dom = await output;
        Assert.True(dom.Length > 0, "Chromium printed no DOM: " + await errors);
        return dom;
    }
}
