using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Latchkey.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Latchkey.Server.Tests.Protocol.Browser;

/// <summary>
/// The web_message page in a real browser, the way auth0-spa-js's hidden iframe uses it (docs/reference/auth0-wire.md R3.2, R3.3):
/// an application page on its own origin frames /authorize?prompt=none&amp;response_mode=web_message and listens for the
/// message. In a registered web origin the message arrives from the issuer's origin (the CSP nonce lets the script
/// run, frame-ancestors lets the frame render); from any other origin nothing arrives.
/// </summary>
[Trait("Rule", "R3.2")]
[Trait("Rule", "R3.3")]
public sealed partial class WebMessageBrowserTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private LatchkeyTestServer _server = null!;
    private int _appPort;

    public async Task InitializeAsync()
    {
        _appPort = FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{_appPort}");
        _app = builder.Build();
        _app.MapGet("/", (HttpContext http) => Results.Content(AppPage(http.Request.Query["authorize"].ToString()), "text/html"));
        await _app.StartAsync();

        // The application is http://localhost:PORT; the same server reached as http://127.0.0.1:PORT is a foreign origin.
        _server = await LatchkeyTestServer.StartAsync($$"""
        {
          "clients": [
            {
              "client_id": "spa",
              "name": "Browser SPA",
              "app_type": "spa",
              "callbacks": [ "http://localhost:{{_appPort}}" ],
              "web_origins": [ "http://localhost:{{_appPort}}" ],
              "grant_types": [ "authorization_code", "refresh_token" ]
            }
          ]
        }
        """);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task SilentAuthIframe_RegisteredWebOrigin_ReceivesLoginRequiredFromIssuerOrigin()
    {
        var dom = await HeadlessChromium.DumpDomAsync(AppUrl("localhost"), TimeSpan.FromSeconds(60));

        var received = Received(dom);
        Assert.NotNull(received);
        var message = received.Value;
        Assert.Equal(_server.BaseAddress.GetLeftPart(UriPartial.Authority), message.GetProperty("origin").GetString());
        Assert.Equal("authorization_response", message.GetProperty("data").GetProperty("type").GetString());
        var response = message.GetProperty("data").GetProperty("response");
        Assert.Equal("login_required", response.GetProperty("error").GetString());
        Assert.Equal("Login required", response.GetProperty("error_description").GetString());
        Assert.Equal("c3RhdGUtdmFsdWU=", response.GetProperty("state").GetString());
    }

    [Fact]
    public async Task SilentAuthIframe_ForeignOrigin_ReceivesNothing()
    {
        var dom = await HeadlessChromium.DumpDomAsync(AppUrl("127.0.0.1"), TimeSpan.FromSeconds(60));

        Assert.Null(Received(dom));
        Assert.Contains("waiting", dom, StringComparison.Ordinal);
    }

    private string AppUrl(string host)
    {
        var authorize = new Uri(_server.BaseAddress, BrowserTenant.Authorize(
            ("redirect_uri", $"http://localhost:{_appPort}"), ("prompt", "none"), ("response_mode", "web_message"))).AbsoluteUri;
        return $"http://{host}:{_appPort}/?authorize={Uri.EscapeDataString(authorize)}";
    }

    /// <summary>What auth0-spa-js's runIframe does, reduced to recording the first authorization_response.</summary>
    private static string AppPage(string authorizeUrl) => $$"""
        <!doctype html>
        <html><body><pre id="out">waiting</pre>
        <script>
        window.addEventListener('message', function (e) {
          if (!e.data || e.data.type !== 'authorization_response') return;
          document.getElementById('out').textContent = 'received:' + JSON.stringify({ origin: e.origin, data: e.data });
        });
        var frame = document.createElement('iframe');
        frame.setAttribute('width', '0');
        frame.setAttribute('height', '0');
        frame.style.display = 'none';
        frame.src = {{JsonSerializer.Serialize(authorizeUrl)}};
        document.body.appendChild(frame);
        </script></body></html>
        """;

    private static JsonElement? Received(string dom)
    {
        var match = OutPattern().Match(dom);
        if (!match.Success)
        {
            return null;
        }

        return JsonDocument.Parse(WebUtility.HtmlDecode(match.Groups[1].Value)).RootElement.Clone();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex("<pre id=\"out\">received:(.*?)</pre>", RegexOptions.Singleline)]
    private static partial Regex OutPattern();
}
