using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Latchkey.Server.Tenants;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Management;

/// <summary>The per-caller rate limit of the Management API (issue 9: 429, <c>Retry-After</c>, <c>x-ratelimit-*</c>).</summary>
public sealed class ManagementRateLimitTests
{
    [Fact]
    public async Task Requests_BeyondTheCallersBurst_Return429WithRetryAfterAndOtherCallersAreUnaffected()
    {
        // Two requests at once, then one a minute: the third request within the minute is over the limit.
        await using var server = await LatchkeyTestServer.StartAsync(ManagementTenant.Json, "--Latchkey:Issuer", ManagementTenant.Issuer,
            "--Latchkey:Management:RateLimitBurst", "2", "--Latchkey:Management:RateLimitPerMinute", "1");
        var busy = ManagementTokens.Mint(server, "busy-m2m@clients", ManagementScopes.ReadUsers, client: true);
        var other = ManagementTokens.Mint(server, "other-m2m@clients", ManagementScopes.ReadUsers, client: true);

        using var first = await GetAsync(server, busy);
        using var second = await GetAsync(server, busy);
        using var third = await GetAsync(server, busy);
        using var otherCaller = await GetAsync(server, other);

        Assert.Equal(HttpStatusCode.NotFound, first.StatusCode);
        Assert.Equal("2", first.Headers.GetValues("x-ratelimit-limit").Single());
        Assert.Equal("1", first.Headers.GetValues("x-ratelimit-remaining").Single());
        Assert.True(long.Parse(first.Headers.GetValues("x-ratelimit-reset").Single()) >= DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
        Assert.Equal("0", second.Headers.GetValues("x-ratelimit-remaining").Single());
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        var error = JsonNode.Parse(await third.Content.ReadAsStringAsync())!;
        Assert.Equal(429, (int)error["statusCode"]!);
        Assert.Equal("too_many_requests", (string?)error["errorCode"]);
        Assert.True(third.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), third.Headers.RetryAfter?.ToString());
        Assert.Equal("0", third.Headers.GetValues("x-ratelimit-remaining").Single());
        Assert.Equal(HttpStatusCode.NotFound, otherCaller.StatusCode);
    }

    [Fact]
    public async Task RateLimit_Zero_TurnsTheLimitOff()
    {
        await using var server = await LatchkeyTestServer.StartAsync(ManagementTenant.Json, "--Latchkey:Issuer", ManagementTenant.Issuer,
            "--Latchkey:Management:RateLimitBurst", "1", "--Latchkey:Management:RateLimitPerMinute", "0");
        var token = ManagementTokens.Mint(server, "busy-m2m@clients", ManagementScopes.ReadUsers, client: true);

        for (var i = 0; i < 5; i++)
        {
            using var response = await GetAsync(server, token);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.False(response.Headers.Contains("x-ratelimit-limit"));
        }
    }

    private static async Task<HttpResponseMessage> GetAsync(LatchkeyTestServer server, string token)
    {
        using var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.GetAsync("api/v2/users/latchkey%7C000000000000000000000000");
    }
}
