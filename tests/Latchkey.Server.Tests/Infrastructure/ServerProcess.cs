using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace Latchkey.Server.Tests.Infrastructure;

/// <summary>
/// Latchkey as a separate process (<c>dotnet Latchkey.Server.dll</c>, the build this test run uses), for tests that
/// must kill a node outright (<c>kill -9</c> of its own pid). Logs are JSON lines (<c>--Logging:Console:FormatterName
/// json</c>), collected so tests can check them.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log;

    private ServerProcess(Process process, ConcurrentQueue<string> log, Uri baseAddress)
    {
        _process = process;
        _log = log;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public IReadOnlyCollection<string> Log => _log;

    /// <summary>Starts the server on <paramref name="port"/> and waits until <c>/health/ready</c> answers 200.</summary>
    public static async Task<ServerProcess> StartAsync(int port, ConcurrentQueue<string> log, params string[] args)
    {
        var url = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])[ServerAssembly(), "--urls", url, "--environment", "Production", "--Logging:Console:FormatterName", "json", "--Logging:LogLevel:Default", "Information", .. LatchkeyTestServer.RateLimitsOff, .. args])
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { log.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { log.Enqueue(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, log, new Uri(url + "/"));
        using var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var status = await Eventually.PollAsync(async () =>
        {
            if (process.HasExited)
            {
                return HttpStatusCode.Gone;
            }

            try
            {
                return (await client.GetAsync("health/ready")).StatusCode;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Refused, or one probe slower than 10 s on a loaded machine: not ready yet, ask again.
                return HttpStatusCode.ServiceUnavailable;
            }
        }, s => s is HttpStatusCode.OK or HttpStatusCode.Gone, TimeSpan.FromMinutes(3));
        if (status != HttpStatusCode.OK)
        {
            await server.DisposeAsync();
            throw new InvalidOperationException($"The server process did not become ready ({status}):\n{string.Join('\n', log.TakeLast(30))}");
        }

        return server;
    }

    /// <summary>SIGKILL to this process's own pid: no shutdown, no flush, nothing finished.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    /// <summary>The server built alongside this test assembly: <c>src/Latchkey.Server/bin/&lt;configuration&gt;/net10.0</c>.</summary>
    private static string ServerAssembly()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var root = testOutput.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(root, "src", "Latchkey.Server", "bin", configuration, framework, "Latchkey.Server.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build src/Latchkey.Server first.", path);
    }
}
