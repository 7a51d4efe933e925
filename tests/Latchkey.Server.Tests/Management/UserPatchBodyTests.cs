using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tenants;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.Server.Tests.Management;

/// <summary>
/// <c>PATCH /api/v2/users/{id}</c> bodies go through the strict JSON policy: a body that a lenient parser would read
/// one way and another parser another way (duplicate properties, lone surrogates, invalid UTF-8) is a 400 in Auth0's
/// error shape, and nothing is stored.
/// </summary>
public sealed class UserPatchBodyTests : IAsyncLifetime
{
    private LatchkeyTestServer _server = null!;
    private string _token = null!;
    private string _alice = null!;

    public async Task InitializeAsync()
    {
        _server = await LatchkeyTestServer.StartAsync(ManagementTenant.Json, "--Latchkey:Issuer", ManagementTenant.Issuer);
        _token = await ManagementTokens.ClientCredentialsAsync(_server, ManagementTenant.AdminClient, ManagementTenant.AdminSecret);
        await using var scope = _server.Services.CreateAsyncScope();
        _alice = await scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>().Set<User>()
            .Where(u => u.Email == ManagementTenant.AliceEmail).Select(u => u.UserId).SingleAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public static TheoryData<string, string> StrictViolations => new()
    {
        { """{"name":"x","name":"y"}""", "Invalid request payload JSON format: a duplicate property" },
        { """{"user_metadata":{"theme":"light","theme":"dark"}}""", "Invalid request payload JSON format: a duplicate property" },
        { """{"user_metadata":{"a":{"b":1,"b":2}}}""", "Invalid request payload JSON format: a duplicate property" },
        { """{"name":"\ud800"}""", "Invalid request payload JSON format: a lone surrogate escape" },
        { """{"user_metadata":{"\udfff":1}}""", "Invalid request payload JSON format: a lone surrogate escape" },
        { "{\"user_metadata\":" + new string('[', 5000) + new string(']', 5000) + "}", "Invalid request payload JSON format: nested more than 32 levels deep" },
        { """{"name": """, "Invalid request payload JSON format" },
    };

    [Theory]
    [Trait("Rule", "DOS-4")]
    [MemberData(nameof(StrictViolations))]
    public async Task Patch_BodyViolatingStrictJson_Is400AndStoresNothing(string json, string message)
    {
        var before = await StoredAsync();

        using var response = await PatchAsync(Encoding.UTF8.GetBytes(json));

        await AssertBadRequestAsync(response, message);
        Assert.Equal(before, await StoredAsync());
    }

    [Fact]
    [Trait("Rule", "DOS-4")]
    public async Task Patch_InvalidUtf8InStringValue_Is400AndStoresNothing()
    {
        var before = await StoredAsync();
        byte[] body = [.. "{\"name\":\""u8, 0xFF, 0xFE, .. "\"}"u8];

        using var response = await PatchAsync(body);

        await AssertBadRequestAsync(response, "Invalid request payload JSON format: not valid UTF-8");
        Assert.Equal(before, await StoredAsync());
    }

    private async Task<HttpResponseMessage> PatchAsync(byte[] body)
    {
        using var client = _server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"api/v2/users/{Uri.EscapeDataString(_alice)}") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        return await client.SendAsync(request);
    }

    private static async Task AssertBadRequestAsync(HttpResponseMessage response, string message)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        var body = JsonNode.Parse(text)!;
        Assert.Equal(400, (int)body["statusCode"]!);
        Assert.Equal("Bad Request", (string?)body["error"]);
        Assert.Equal(message, (string?)body["message"]);
        Assert.Equal("invalid_body", (string?)body["errorCode"]);
    }

    private async Task<string> StoredAsync()
    {
        await using var scope = _server.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>().Set<User>().AsNoTracking().SingleAsync(u => u.UserId == _alice);
        return $"{user.Name}|{user.UserMetadata}|{user.UpdatedAt:O}";
    }
}
