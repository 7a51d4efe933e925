using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Latchkey.Server.Persistence;
using Latchkey.Server.Sessions;
using Latchkey.Server.Tenants;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Protocol;
using Latchkey.Server.Users;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.Server.Tests.Management;

/// <summary>
/// A password change, a block and an administrator's "end sessions" sign the user out everywhere: the old session
/// cookie no longer gets a code with <c>prompt=none</c>, and old refresh tokens fail (RFC 9700 §4.14.2; security catalogue
/// RT-8, SES-6, PWD-5). Storage is where the proof lives, so each runs on SQLite and PostgreSQL.
/// </summary>
public sealed class SignOutEverywhereTests
{
    private const string NewPassword = "a brand new passphrase 42";

    public static TheoryData<string> Providers => StorageServer.Providers;

    [Theory]
    [Trait("Rule", "RT-8")]
    [MemberData(nameof(Providers))]
    public async Task PasswordChange_ByAdministrator_EndsSessionsAndRevokesRefreshTokens(string provider)
    {
        await using var storage = await StartAsync(provider);
        var (browser, flow, refreshToken) = await SignInAsync(storage.Server);
        using (browser)
        {
            using var patched = await ManageAsync(storage.Server, HttpMethod.Patch, $$"""{"password":"{{NewPassword}}"}""");
            Assert.True(patched.StatusCode == HttpStatusCode.OK, await patched.Content.ReadAsStringAsync());

            await AssertSignedOutAsync(storage.Server, browser, flow, refreshToken);
            var fresh = await new CodeFlow { Password = NewPassword }.RunAsync(storage.Server);
            Assert.False(string.IsNullOrEmpty((string?)fresh["refresh_token"]));
        }
    }

    [Theory]
    [Trait("Rule", "SES-6")]
    [MemberData(nameof(Providers))]
    public async Task DeleteSessions_ByAdministrator_EndsSessionsAndRevokesRefreshTokens(string provider)
    {
        await using var storage = await StartAsync(provider);
        var (browser, flow, refreshToken) = await SignInAsync(storage.Server);
        using (browser)
        {
            using var deleted = await ManageAsync(storage.Server, HttpMethod.Delete, null, "/sessions");
            Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);

            await AssertSignedOutAsync(storage.Server, browser, flow, refreshToken);
        }
    }

    [Theory]
    [Trait("Rule", "MG-9")]
    [MemberData(nameof(Providers))]
    public async Task Block_ThenUnblock_OldRefreshTokenStaysRevoked(string provider)
    {
        await using var storage = await StartAsync(provider);
        var (browser, flow, refreshToken) = await SignInAsync(storage.Server);
        using (browser)
        {
            using var blocked = await ManageAsync(storage.Server, HttpMethod.Patch, """{"blocked":true}""");
            Assert.Equal(HttpStatusCode.OK, blocked.StatusCode);
            using var unblocked = await ManageAsync(storage.Server, HttpMethod.Patch, """{"blocked":false}""");
            Assert.Equal(HttpStatusCode.OK, unblocked.StatusCode);

            await AssertSignedOutAsync(storage.Server, browser, flow, refreshToken);
        }
    }

    [Theory]
    [Trait("Rule", "RT-8")]
    [MemberData(nameof(Providers))]
    public async Task DeleteUser_ByAdministrator_EndsSessionsAndNextRefreshIsInvalidGrant(string provider)
    {
        await using var storage = await StartAsync(provider);
        var (browser, flow, refreshToken) = await SignInAsync(storage.Server);
        using (browser)
        {
            var token = ManagementTokens.Mint(storage.Server, "deleter@clients", "delete:users", client: true);
            using var deleted = await ManageAsync(storage.Server, HttpMethod.Delete, null, token: token);
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

            await AssertSignedOutAsync(storage.Server, browser, flow, refreshToken);
        }
    }

    [Fact]
    public async Task Patch_PasswordWithAuth0Connection_IsAccepted()
    {
        await using var storage = await StartAsync(StorageServer.Sqlite);

        using var response = await ManageAsync(storage.Server, HttpMethod.Patch, $$"""{"connection":"Username-Password-Authentication","password":"{{NewPassword}}"}""");

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        await new CodeFlow { Password = NewPassword }.RunAsync(storage.Server);
    }

    [Fact]
    public async Task Patch_UnknownConnection_Is400AndChangesNothing()
    {
        await using var storage = await StartAsync(StorageServer.Sqlite);

        using var response = await ManageAsync(storage.Server, HttpMethod.Patch, $$"""{"password":"{{NewPassword}}","connection":"google-oauth2"}""");

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("The connection does not exist.", (string?)body["message"]);
        await new CodeFlow().RunAsync(storage.Server);
    }

    private static async Task AssertSignedOutAsync(LatchkeyTestServer server, HttpClient browser, CodeFlow flow, string refreshToken)
    {
        // The old session cookie: prompt=none now answers login_required instead of a code.
        using var silent = await browser.GetAsync(flow.AuthorizeUrl(("prompt", "none")));
        Assert.Equal(HttpStatusCode.Redirect, silent.StatusCode);
        var query = QueryHelpers.ParseQuery(silent.Headers.Location!.Query);
        Assert.Equal("login_required", query["error"].ToString());
        Assert.Equal("Login required", query["error_description"].ToString());
        Assert.False(query.ContainsKey("code"));

        using var refreshed = await CodeFlow.RefreshAsync(browser, flow.ClientId, refreshToken);
        var body = await refreshed.ReadJsonObjectAsync();
        Assert.Equal(HttpStatusCode.BadRequest, refreshed.StatusCode);
        Assert.Equal("invalid_grant", (string?)body["error"]);
        Assert.Equal("Unknown or invalid refresh token.", (string?)body["error_description"]);
        _ = server;
    }

    private static async Task<(HttpClient Browser, CodeFlow Flow, string RefreshToken)> SignInAsync(LatchkeyTestServer server)
    {
        var browser = server.CreateClient(new CookieContainer());
        var flow = new CodeFlow();
        var tokens = await flow.RunAsync(server, browser);

        // Before any change the session is alive: prompt=none gets a code.
        using var silent = await browser.GetAsync(flow.AuthorizeUrl(("prompt", "none")));
        Assert.True(QueryHelpers.ParseQuery(silent.Headers.Location!.Query).ContainsKey("code"));
        return (browser, flow, (string)tokens["refresh_token"]!);
    }

    private static async Task<HttpResponseMessage> ManageAsync(LatchkeyTestServer server, HttpMethod method, string? json, string suffix = "", string? token = null)
    {
        token ??= await ManagementTokens.ClientCredentialsAsync(server, ManagementTenant.AdminClient, ManagementTenant.AdminSecret);
        await using var scope = server.Services.CreateAsyncScope();
        var userId = await scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>().Set<User>()
            .Where(u => u.Email == ProtocolTenant.UserEmail).Select(u => u.UserId).SingleAsync();
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(method, $"api/v2/users/{Uri.EscapeDataString(userId)}{suffix}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await client.SendAsync(request);
    }

    private static Task<StorageServer> StartAsync(string provider) =>
        StorageServer.StartAsync(provider, AdminTenant.Json, "--Latchkey:Issuer", ManagementTenant.Issuer);
}
