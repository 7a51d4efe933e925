using System.Net;
using System.Text.Json.Nodes;
using Latchkey.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Latchkey.AspNetCore.Tests.Authentication;

/// <summary>
/// Two Latchkey schemes for two audiences in one API (the README allows it). The per-connection memo must never let a
/// token validated by one scheme pass at an endpoint that requires the other, even on the same keep-alive connection.
/// </summary>
public sealed class TwoSchemeConnectionTests : IAsyncLifetime
{
    private const string AudienceA = TestAuthority.Audience;
    private const string AudienceB = "https://other.example.com";

    private TestAuthority _authority = null!;
    private WebApplication _api = null!;
    private Uri _address = null!;

    public async Task InitializeAsync()
    {
        _authority = await TestAuthority.StartAsync();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<TimeProvider>(_authority.Clock);
        builder.Services.AddAuthentication()
            .AddLatchkey("A", o => { o.Authority = _authority.Issuer; o.Audience = AudienceA; })
            .AddLatchkey("B", o => { o.Authority = _authority.Issuer; o.Audience = AudienceB; });
        builder.Services.AddAuthorization();
        _api = builder.Build();

        // Every response names the connection it travelled on, so the test can prove both requests shared one.
        _api.Use((context, next) =>
        {
            context.Response.Headers["X-Connection-Id"] = context.Connection.Id;
            return next(context);
        });
        _api.UseAuthentication();
        _api.UseAuthorization();
        _api.MapGet("/a", () => Results.Json(new { api = "a" })).RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = "A" });
        _api.MapGet("/b", () => Results.Json(new { api = "b" })).RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = "B" });
        await _api.StartAsync();
        _address = new Uri(_api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");

        // Both schemes fetch the authority's metadata before the tests run (on another connection, so the tests' own
        // connection starts with an empty memo): on a loaded machine the first fetch can outlast a request.
        using var warmUp = new HttpClient { BaseAddress = _address };
        foreach (var (path, audience) in new[] { ("a", AudienceA), ("b", AudienceB) })
        {
            var token = _authority.Mint(p => p["aud"] = new[] { audience });
            for (var attempt = 0; attempt < 60; attempt++)
            {
                using var response = await SendAsync(warmUp, path, token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    break;
                }

                await Task.Delay(500);
            }
        }
    }

    public async Task DisposeAsync()
    {
        await _api.StopAsync();
        await _api.DisposeAsync();
        await _authority.DisposeAsync();
    }

    [Fact]
    [Trait("Rule", "AT-4")]
    public async Task TokenForAudienceA_SameKeepAliveConnection_RefusedBySchemeB()
    {
        var token = _authority.Mint(p => p["aud"] = new[] { AudienceA });
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) };
        using var client = new HttpClient(handler) { BaseAddress = _address, DefaultRequestVersion = HttpVersion.Version11 };

        using var a = await SendAsync(client, "a", token);
        using var b = await SendAsync(client, "b", token);

        Assert.Equal(HttpStatusCode.OK, a.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, b.StatusCode);
        Assert.Equal(a.Headers.GetValues("X-Connection-Id").Single(), b.Headers.GetValues("X-Connection-Id").Single());
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"unexpected audience\"", b.Headers.WwwAuthenticate.ToString());
        var body = JsonNode.Parse(await b.Content.ReadAsStringAsync())!;
        Assert.Equal("invalid_token", (string?)body["error"]);
        Assert.Equal("unexpected audience", (string?)body["error_description"]);
    }

    [Fact]
    [Trait("Rule", "AT-4")]
    public async Task TokenForAudienceB_SameKeepAliveConnection_RefusedBySchemeAAfterAcceptedByB()
    {
        var token = _authority.Mint(p => p["aud"] = new[] { AudienceB });
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) };
        using var client = new HttpClient(handler) { BaseAddress = _address, DefaultRequestVersion = HttpVersion.Version11 };

        using var b = await SendAsync(client, "b", token);
        using var a = await SendAsync(client, "a", token);
        using var again = await SendAsync(client, "b", token);

        Assert.Equal(HttpStatusCode.OK, b.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, a.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Single(new[] { b, a, again }.Select(r => r.Headers.GetValues("X-Connection-Id").Single()).Distinct());
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string path, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path) { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        return client.SendAsync(request);
    }
}
