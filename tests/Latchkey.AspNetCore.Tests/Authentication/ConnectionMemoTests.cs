using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Latchkey.AspNetCore.Authentication;
using Latchkey.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Latchkey.AspNetCore.Tests.Authentication;

/// <summary>
/// When the handler's per-connection memo is used: on HTTP/1.x connections only, whose requests never overlap. On an
/// HTTP/2 connection streams run concurrently, so a memo there would be shared by requests in flight at once; it must
/// not exist. Each response reports whether the connection holds a memo with a remembered token.
/// </summary>
public sealed class ConnectionMemoTests : IAsyncLifetime
{
    private TestAuthority _authority = null!;
    private WebApplication _api = null!;
    private Uri _http1 = null!;
    private Uri _http2 = null!;

    public async Task InitializeAsync()
    {
        _authority = await TestAuthority.StartAsync();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http1);
            kestrel.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2);
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<TimeProvider>(_authority.Clock);
        builder.Services.AddAuthentication().AddLatchkey(o =>
        {
            o.Authority = _authority.Issuer;
            o.Audience = TestAuthority.Audience;
        });
        builder.Services.AddAuthorization();
        _api = builder.Build();
        _api.UseAuthentication();
        _api.UseAuthorization();
        _api.MapGet("/memo", (HttpContext context) => Results.Json(new
        {
            protocol = context.Request.Protocol,
            remembered = context.Features.Get<IConnectionItemsFeature>()?.Items.Values.OfType<ConnectionTokenMemo>().Any(m => m.Entry is not null) == true,
        })).RequireAuthorization();
        await _api.StartAsync();
        var addresses = _api.Urls.Select(u => new Uri(u.TrimEnd('/') + "/")).ToList();
        _http1 = addresses[0];
        _http2 = addresses[1];
    }

    public async Task DisposeAsync()
    {
        await _api.StopAsync();
        await _api.DisposeAsync();
        await _authority.DisposeAsync();
    }

    [Fact]
    public async Task Http11_ValidToken_RememberedOnTheConnection()
    {
        using var client = new HttpClient { BaseAddress = _http1 };
        var token = _authority.Mint();

        var first = await MemoAsync(client, token, HttpVersion.Version11);
        var second = await MemoAsync(client, token, HttpVersion.Version11);

        Assert.Equal(("HTTP/1.1", true), first);
        Assert.Equal(("HTTP/1.1", true), second);
    }

    [Fact]
    public async Task Http10_ValidToken_RememberedOnTheConnection()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(_http1.Host, _http1.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /memo HTTP/1.0\r\nHost: localhost\r\nAuthorization: Bearer {_authority.Mint()}\r\n\r\n"));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var response = await reader.ReadToEndAsync();

        Assert.StartsWith("HTTP/1.1 200 ", response, StringComparison.Ordinal);
        Assert.EndsWith("{\"protocol\":\"HTTP/1.0\",\"remembered\":true}", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http2_ValidToken_NeverRemembered()
    {
        using var client = new HttpClient { BaseAddress = _http2 };
        var token = _authority.Mint();

        var first = await MemoAsync(client, token, HttpVersion.Version20);
        var second = await MemoAsync(client, token, HttpVersion.Version20);

        Assert.Equal(("HTTP/2", false), first);
        Assert.Equal(("HTTP/2", false), second);
    }

    private static async Task<(string Protocol, bool Remembered)> MemoAsync(HttpClient client, string token, Version version)
    {
        // HTTP/2 over cleartext needs prior knowledge: exactly the asked version, no upgrade.
        using var request = new HttpRequestMessage(HttpMethod.Get, "memo") { Version = version, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (body.RootElement.GetProperty("protocol").GetString()!, body.RootElement.GetProperty("remembered").GetBoolean());
    }
}
