using System.Net;
using System.Text.Json;
using Latchkey.AspNetCore.Tests.Infrastructure;

namespace Latchkey.AspNetCore.Tests.Differential;

/// <summary>samples/api's own contract: messages, defaults and CORS for the sample SPAs.</summary>
public sealed class SampleApiTests(DifferentialFixture fixture) : IClassFixture<DifferentialFixture>
{
    [Theory]
    [InlineData("api/public", null, "Hello from a public endpoint! You don't need to be authenticated to see this.")]
    [InlineData("api/private", "read:messages", "Hello from a private endpoint! You need to be authenticated to see this.")]
    [InlineData("api/private-scoped", "read:messages", "Hello from a private endpoint! You need to be authenticated and have a scope of read:messages to see this.")]
    [InlineData("api/external", "openid", "Your access token was successfully validated!")]
    public async Task Endpoint_AllowedRequest_ReturnsQuickstartMessage(string path, string? scope, string message)
    {
        using var client = new HttpClient { BaseAddress = fixture.Sample.Address };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (scope is not null)
        {
            fixture.SyncClockToNow();
            request.Headers.Authorization = new("Bearer", fixture.Authority.Mint(p => p["scope"] = scope));
        }

        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(message, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("http://localhost:3000", true)]
    [InlineData("http://localhost:4200", true)]
    [InlineData("http://evil.example", false)]
    public async Task CorsPreflight_FromOrigin_AllowedOnlyForSampleSpas(string origin, bool allowed)
    {
        using var client = new HttpClient { BaseAddress = fixture.Sample.Address };
        using var request = new HttpRequestMessage(HttpMethod.Options, "api/private");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "GET");
        request.Headers.Add("Access-Control-Request-Headers", "authorization");
        using var response = await client.SendAsync(request);
        Assert.Equal(allowed, response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) && values.Single() == origin);
    }

    [Fact]
    public async Task CommandLine_CorsOrigin_ReplacesDefaultAtThatIndex()
    {
        await using var sample = await SampleApiHost.StartAsync(fixture.Authority.Issuer, extraArgs: ["--Cors:Origins:0", "http://127.0.0.1:5173"]);
        using var client = new HttpClient { BaseAddress = sample.Address };
        using var request = new HttpRequestMessage(HttpMethod.Options, "api/private");
        request.Headers.Add("Origin", "http://127.0.0.1:5173");
        request.Headers.Add("Access-Control-Request-Method", "GET");
        using var response = await client.SendAsync(request);
        Assert.Equal("http://127.0.0.1:5173", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }
}
