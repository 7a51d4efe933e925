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
/// Auth0: changing the email resets <c>email_verified</c> unless the same PATCH body sets it, whatever the order of the
/// properties in the body.
/// </summary>
public sealed class UserPatchOrderTests : IAsyncLifetime
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

    [Theory]
    [InlineData("""{"email_verified":true,"email":"alice.new@example.com"}""", true)]
    [InlineData("""{"email":"alice.new@example.com","email_verified":true}""", true)]
    [InlineData("""{"email":"alice.new@example.com"}""", false)]
    [InlineData("""{"email_verified":false,"email":"alice.new@example.com"}""", false)]
    public async Task Patch_EmailWithOrWithoutEmailVerified_SameResultInAnyOrder(string json, bool verified)
    {
        using var client = _server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"api/v2/users/{Uri.EscapeDataString(_alice)}")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);

        using var response = await client.SendAsync(request);

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("alice.new@example.com", (string?)body["email"]);
        Assert.Equal(verified, (bool)body["email_verified"]!);
    }
}
