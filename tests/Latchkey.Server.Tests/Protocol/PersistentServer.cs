using System.Net;
using System.Net.Sockets;
using Latchkey.Server.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Latchkey.Server.Tests.Protocol;

/// <summary>
/// A database and an address that outlive several server starts, to test what survives a restart (keys, refresh
/// tokens). Each <see cref="StartAsync"/> builds a new host through the same path as <c>dotnet run</c> on the same
/// SQLite file and port.
/// </summary>
internal sealed class PersistentServer : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "latchkey-tests", Guid.NewGuid().ToString("N"));

    public PersistentServer()
    {
        Directory.CreateDirectory(_directory);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
    }

    public Uri BaseAddress { get; }

    public string Issuer => BaseAddress.AbsoluteUri;

    public async Task<WebApplication> StartAsync(string tenantJson)
    {
        var file = Path.Combine(_directory, "tenant.json");
        await File.WriteAllTextAsync(file, tenantJson);
        var app = await LatchkeyServer.BuildAsync([
            "--urls", BaseAddress.AbsoluteUri.TrimEnd('/'),
            "--ConnectionStrings:Latchkey", $"Data Source={Path.Combine(_directory, "latchkey.db")}",
            "--Logging:LogLevel:Default", "Warning",
            "--environment", "Development",
            "--Latchkey:Import", file,
            "--Latchkey:SeedDevelopmentTenant", "false",
        ]);
        await app.StartAsync();
        return app;
    }

    public HttpClient CreateClient(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = cookies is not null, CookieContainer = cookies ?? new CookieContainer() })
        {
            BaseAddress = BaseAddress,
        };

    public static async Task StopAsync(WebApplication app)
    {
        await app.StopAsync();
        await app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }
}
