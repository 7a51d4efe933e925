using System.Net;
using System.Net.Sockets;
using Latchkey.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Latchkey.Server.Tests.Infrastructure;

/// <summary>
/// A real Latchkey on Kestrel at 127.0.0.1 with its own SQLite file, built by the same code path as
/// <c>dotnet run</c>. Each test (or test class) starts its own, so no test sees another's rows.
/// </summary>
public sealed class LatchkeyTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _directory;

    private LatchkeyTestServer(WebApplication app, string directory, Uri baseAddress)
    {
        _app = app;
        _directory = directory;
        BaseAddress = baseAddress;
    }

    /// <summary>The issuer: <c>http://127.0.0.1:PORT/</c> (or https), one trailing slash.</summary>
    public Uri BaseAddress { get; }

    public string Issuer => BaseAddress.AbsoluteUri;

    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// The address and Application rate limits (<c>Latchkey:RateLimits</c>) off: every test client shares 127.0.0.1, so
    /// they would couple unrelated tests. <c>RateLimitTests</c> turns them back on (a later argument wins).
    /// </summary>
    public static readonly string[] RateLimitsOff =
    [
        "--Latchkey:RateLimits:Token:PerMinute", "0",
        "--Latchkey:RateLimits:LoginPages:PerMinute", "0",
        "--Latchkey:RateLimits:DbConnections:PerMinute", "0",
    ];

    /// <summary>Starts a server. <paramref name="tenantJson"/> is written to a tenant file and imported.</summary>
    public static Task<LatchkeyTestServer> StartAsync(string? tenantJson = null, params string[] extraArgs) =>
        StartAsync(tenantJson, time: null, extraArgs);

    /// <summary>
    /// Starts a server whose clock is <paramref name="time"/> (e.g. a <c>FakeTimeProvider</c>) instead of the system
    /// clock: every expiry in the token path (OpenIddict's and Latchkey's) reads it, so tests move time instead of
    /// sleeping. Start a fake clock at the real current time: the signing keys' validity is checked against it.
    /// </summary>
    public static Task<LatchkeyTestServer> StartAsync(string? tenantJson, TimeProvider? time, params string[] extraArgs) =>
        StartWithServicesAsync(tenantJson, time is null ? null : services => services.Replace(ServiceDescriptor.Singleton(time)), extraArgs);

    /// <summary>Starts a server with <paramref name="configureServices"/> applied after every default registration.</summary>
    public static Task<LatchkeyTestServer> StartWithServicesAsync(string? tenantJson, Action<IServiceCollection>? configureServices, params string[] extraArgs) =>
        StartAtAsync($"http://127.0.0.1:{FreePort()}", tenantJson, configureServices, extraArgs);

    /// <summary>
    /// Starts a server at <paramref name="url"/> (e.g. <c>https://127.0.0.1:PORT</c> with a Kestrel certificate in
    /// <paramref name="extraArgs"/>, for clients that speak only https); the issuer follows the URL.
    /// </summary>
    public static async Task<LatchkeyTestServer> StartAtAsync(string url, string? tenantJson, Action<IServiceCollection>? configureServices, params string[] extraArgs)
    {
        var directory = Path.Combine(Path.GetTempPath(), "latchkey-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var args = new List<string>
        {
            "--urls", url,
            "--ConnectionStrings:Latchkey", $"Data Source={Path.Combine(directory, "latchkey.db")}",
            "--Logging:LogLevel:Default", "Warning",
            "--environment", "Development",
        };
        args.AddRange(RateLimitsOff);
        if (tenantJson is not null)
        {
            var file = Path.Combine(directory, "tenant.json");
            await File.WriteAllTextAsync(file, tenantJson);
            args.AddRange(["--Latchkey:Import", file, "--Latchkey:SeedDevelopmentTenant", "false"]);
        }

        args.AddRange(extraArgs);
        var app = await LatchkeyServer.BuildAsync([.. args], configureServices);
        await app.StartAsync();
        return new LatchkeyTestServer(app, directory, new Uri(url + "/"));
    }

    /// <summary>An HTTP client for this server that does not follow redirects (tests assert on them).</summary>
    public HttpClient CreateClient(CookieContainer? cookies = null)
    {
        var handler = new HttpClientHandler
        {
            AllowAutoRedirect = false,
            UseCookies = cookies is not null,
            CookieContainer = cookies ?? new CookieContainer(),
        };
        return new HttpClient(handler) { BaseAddress = BaseAddress };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open on some platform; the temp folder is cleaned by the OS.
        }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
