using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Latchkey.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Latchkey.AspNetCore.Tests.Validation;

/// <summary>
/// Two edges the other validation tests do not reach: the per-connection memo at the exact tick of the token's
/// <c>exp</c> (with no clock skew, so a fresh validation would refuse it), and a token with a non-ASCII character,
/// which reaches the validator only when the host decodes request headers as Latin-1 (Kestrel refuses it by default).
/// </summary>
public sealed class EdgeOfValidityTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    private TestAuthority _authority = null!;
    private ProtectedApi _api = null!;

    public async Task InitializeAsync()
    {
        _authority = await TestAuthority.StartAsync(new FakeTimeProvider(Now));
        _api = await ProtectedApi.StartAsync(
            _authority,
            o => o.ClockSkew = TimeSpan.Zero,
            services => services.Configure<KestrelServerOptions>(k => k.RequestHeaderEncodingSelector = _ => Encoding.Latin1));
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _authority.DisposeAsync();
    }

    [Fact]
    public async Task ConnectionMemo_AtTheTokensExactExpiry_NotReused()
    {
        var expires = Now.AddSeconds(60);
        var token = _authority.Mint(p => p["exp"] = expires.ToUnixTimeSeconds());
        using var client = _api.CreateClient(); // one keep-alive HTTP/1.1 connection: the memo's home

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, token));
        _authority.Clock.SetUtcNow(expires.AddTicks(-1));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, token));
        _authority.Clock.SetUtcNow(expires);

        using var refused = await SendAsync(client, token);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("token expired", await DescriptionAsync(refused));
    }

    [Fact]
    public async Task Token_WithANonAsciiCharacter_RefusedAsMalformed()
    {
        var token = _authority.Mint();
        var tampered = token[..10] + "\u00e9" + token[11..];
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(_api.Address.Host, _api.Address.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes($"GET /private HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {tampered}\r\nConnection: close\r\n\r\n"));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var response = await reader.ReadToEndAsync();

        Assert.StartsWith("HTTP/1.1 401 ", response, StringComparison.Ordinal);
        Assert.Contains("error_description=\"malformed token\"", response, StringComparison.Ordinal);
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string token)
    {
        using var response = await SendAsync(client, token);
        return response.StatusCode;
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "private");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        return await client.SendAsync(request);
    }

    private static async Task<string?> DescriptionAsync(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("error_description").GetString();
    }
}
