using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Latchkey.Server.Tests.Protocol;

namespace Latchkey.Server.Tests.Hosting;

/// <summary>
/// The server as systemd or a container starts it: <c>dotnet /opt/latchkey/Latchkey.Server.dll</c> from another working
/// directory, in Production. It must read the <c>appsettings.json</c> next to it (content root = the application's
/// directory), so a token request does not log EF Core's SQL, and nothing it logs contains a secret.
/// </summary>
public sealed class ContentRootTests : IDisposable
{
    private readonly string _workingDirectory = Path.Combine(Path.GetTempPath(), "latchkey-tests", Guid.NewGuid().ToString("N"));

    public ContentRootTests() => Directory.CreateDirectory(_workingDirectory);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_workingDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }

    [Fact]
    [Trait("Rule", "MG-11")]
    public async Task PublishedServer_StartedFromAnotherDirectory_UsesItsOwnDirectoryAndSettings()
    {
        var appDirectory = AppContext.BaseDirectory;
        Assert.True(File.Exists(Path.Combine(appDirectory, "appsettings.json")), "the server's appsettings.json is copied next to Latchkey.Server.dll");
        var tenant = Path.Combine(_workingDirectory, "tenant.json");
        await File.WriteAllTextAsync(tenant, ProtocolTenant.Json);
        var port = FreePort();
        var output = new StringBuilder();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            Path.Combine(appDirectory, "Latchkey.Server.dll"),
            "--urls", $"http://127.0.0.1:{port}",
            "--ConnectionStrings:Latchkey", $"Data Source={Path.Combine(_workingDirectory, "latchkey.db")}",
            "--Latchkey:Import", tenant,
            "--Latchkey:SeedDevelopmentTenant", "false",
        })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var variable in new[] { "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT", "ASPNETCORE_CONTENTROOT", "DOTNET_CONTENTROOT", "ASPNETCORE_URLS", "Logging__LogLevel__Default" })
        {
            start.Environment.Remove(variable);
        }

        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            await WaitUntilReadyAsync(client, process, output);

            using var token = await client.ClientCredentialsAsync(ProtocolTenant.M2mClient, ProtocolTenant.M2mSecret, ProtocolTenant.Api);
            Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        var log = output.ToString();
        Assert.Contains($"Content root path: {appDirectory.TrimEnd(Path.DirectorySeparatorChar)}", log, StringComparison.Ordinal);
        Assert.DoesNotContain("Executed DbCommand", log, StringComparison.Ordinal);
        Assert.DoesNotContain(ProtocolTenant.M2mSecret, log, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_workingDirectory, "data")));
    }

    private static async Task WaitUntilReadyAsync(HttpClient client, Process process, StringBuilder output)
    {
        // Wide margin: the machine may be busy with other builds; a readiness poll, not a timing assertion.
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(process.HasExited, $"the server exited: {output}");
            try
            {
                using var response = await client.GetAsync(".well-known/openid-configuration");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        Assert.Fail($"the server did not start: {output}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
