using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Management;
using Latchkey.Server.Tests.Protocol;
using Latchkey.Server.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.Server.Tests.Logs;

/// <summary>
/// Each tenant log event type is produced by the real flow that causes it (login pages, token endpoint, logout,
/// silent authentication, Management API), with Auth0's members filled in: user, client and its name, IP address,
/// user agent.
/// </summary>
public sealed class TenantLogEventsTests
{
    private const string UserAgent = "LatchkeyLogsTest/1.0";
    private static readonly string SpaReturnUrl = new CodeFlow().AuthorizeUrl();

    [Fact]
    public async Task Login_WrongPassword_RecordsFpWithUserClientAndAddress()
    {
        await using var server = await LogsTenant.StartAsync();
        using var browser = Browser(server);
        using var admin = await LogsTenant.AdminAsync(server);

        var response = await LoginDriver.LogInAsync(browser, ProtocolTenant.UserEmail, "not the password", SpaReturnUrl);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        var entry = await LogsTenant.WaitForAsync(admin, "type:fp");
        Assert.Equal(await AliceIdAsync(server), (string?)entry["user_id"]);
        Assert.Equal(ProtocolTenant.UserEmail, (string?)entry["user_name"]);
        Assert.Equal(ProtocolTenant.SpaClient, (string?)entry["client_id"]);
        Assert.Equal("SPA", (string?)entry["client_name"]);
        Assert.Equal("127.0.0.1", (string?)entry["ip"]);
        Assert.Equal(UserAgent, (string?)entry["user_agent"]);
        Assert.Equal("Wrong email or password.", (string?)entry["description"]);
        Assert.Matches("^900[0-9]{53}$", (string?)entry["log_id"]);
        Assert.True(DateTimeOffset.UtcNow - DateTimeOffset.Parse((string)entry["date"]!, System.Globalization.CultureInfo.InvariantCulture) < TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task Login_UnknownEmail_RecordsFuWithTypedName()
    {
        await using var server = await LogsTenant.StartAsync();
        using var browser = Browser(server);
        using var admin = await LogsTenant.AdminAsync(server);

        await LoginDriver.LogInAsync(browser, "nobody@example.com", "whatever password", SpaReturnUrl);

        var entry = await LogsTenant.WaitForAsync(admin, "type:fu");
        Assert.Null(entry["user_id"]);
        Assert.Equal("nobody@example.com", (string?)entry["user_name"]);
        Assert.Equal(ProtocolTenant.SpaClient, (string?)entry["client_id"]);
    }

    [Fact]
    public async Task Login_RepeatedWrongPasswords_RecordsLimitWcWhenBlocked()
    {
        await using var server = await LogsTenant.StartAsync("--Latchkey:Login:MaxFailedAttempts", "2");
        using var browser = Browser(server);
        using var admin = await LogsTenant.AdminAsync(server);

        for (var attempt = 0; attempt < 3; attempt++)
        {
            await LoginDriver.LogInAsync(browser, ProtocolTenant.UserEmail, "not the password", SpaReturnUrl);
        }

        var entry = await LogsTenant.WaitForAsync(admin, "type:limit_wc");
        Assert.Equal(ProtocolTenant.UserEmail, (string?)entry["user_name"]);
        Assert.Equal("127.0.0.1", (string?)entry["ip"]);
    }

    [Fact]
    public async Task CodeFlow_LoginExchangeRefreshAndReuse_RecordsSSeacftSertftFerrtFertft()
    {
        await using var server = await LogsTenant.StartAsync();
        using var browser = Browser(server);
        using var admin = await LogsTenant.AdminAsync(server);
        var alice = await AliceIdAsync(server);

        var flow = new CodeFlow();
        var code = await flow.GetCodeAsync(server, browser);
        var issued = await (await flow.RedeemAsync(browser, code)).ReadJsonObjectAsync();
        var first = (string)issued["refresh_token"]!;
        var rotated = await (await CodeFlow.RefreshAsync(browser, flow.ClientId, first)).ReadJsonObjectAsync();
        var second = (string)rotated["refresh_token"]!;

        // The rotated token presented again: reuse detected, the family revoked; the newer token then fails too.
        Assert.Equal(HttpStatusCode.BadRequest, (await CodeFlow.RefreshAsync(browser, flow.ClientId, first)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await CodeFlow.RefreshAsync(browser, flow.ClientId, second)).StatusCode);

        foreach (var type in new[] { "s", "seacft", "sertft", "ferrt", "fertft" })
        {
            var entry = await LogsTenant.WaitForAsync(admin, "type:" + type);
            Assert.Equal(ProtocolTenant.SpaClient, (string?)entry["client_id"]);
            Assert.Equal("SPA", (string?)entry["client_name"]);
            Assert.Equal("127.0.0.1", (string?)entry["ip"]);
            if (type != "fertft")
            {
                // fertft: the revoked token is refused before its user is known, as in Auth0.
                Assert.Equal(alice, (string?)entry["user_id"]);
                Assert.Equal(ProtocolTenant.UserEmail, (string?)entry["user_name"]);
            }
        }
    }

    [Fact]
    public async Task ClientCredentials_GoodAndWrongSecret_RecordsSeccftAndFeccft()
    {
        await using var server = await LogsTenant.StartAsync();
        using var client = Browser(server);
        using var admin = await LogsTenant.AdminAsync(server);

        Assert.Equal(HttpStatusCode.OK, (await client.ClientCredentialsAsync(ProtocolTenant.M2mClient, ProtocolTenant.M2mSecret, ProtocolTenant.Api)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.ClientCredentialsAsync(ProtocolTenant.M2mClient, "wrong-secret-0123456789-abcdefghijklm", ProtocolTenant.Api)).StatusCode);

        var success = await LogsTenant.WaitForAsync(admin, $"type:seccft AND client_id:{ProtocolTenant.M2mClient}");
        Assert.Equal("M2M", (string?)success["client_name"]);
        Assert.Null(success["user_id"]);
        var failure = await LogsTenant.WaitForAsync(admin, "type:feccft");
        Assert.Equal(ProtocolTenant.M2mClient, (string?)failure["client_id"]);
        Assert.Equal(UserAgent, (string?)failure["user_agent"]);
        Assert.False(string.IsNullOrEmpty((string?)failure["description"]));
    }

    [Fact]
    public async Task SignUp_NewAndWeakPassword_RecordsSsAndFs()
    {
        await using var server = await LogsTenant.StartAsync();
        using var browser = Browser(server);
        using var admin = await LogsTenant.AdminAsync(server);

        var token = await LoginDriver.GetAntiforgeryTokenAsync(browser, "/signup?returnUrl=" + Uri.EscapeDataString(SpaReturnUrl));
        Assert.Equal(HttpStatusCode.BadRequest, (await LoginDriver.PostSignUpAsync(browser, token, "carol@example.com", "short", SpaReturnUrl)).StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, (await LoginDriver.PostSignUpAsync(browser, token, "carol@example.com", "a long enough passphrase 42", SpaReturnUrl)).StatusCode);

        var failed = await LogsTenant.WaitForAsync(admin, "type:fs");
        Assert.Equal("carol@example.com", (string?)failed["user_name"]);
        Assert.StartsWith("The password", (string?)failed["description"], StringComparison.Ordinal);
        var created = await LogsTenant.WaitForAsync(admin, "type:ss");
        Assert.StartsWith("latchkey|", (string?)created["user_id"], StringComparison.Ordinal);
        Assert.Equal(ProtocolTenant.SpaClient, (string?)created["client_id"]);
    }

    [Fact]
    public async Task LogoutAndSilentAuth_WithAndWithoutSession_RecordsSsaSloFsa()
    {
        await using var server = await LogsTenant.StartAsync();
        using var browser = Browser(server);
        using var admin = await LogsTenant.AdminAsync(server);
        var alice = await AliceIdAsync(server);
        var flow = new CodeFlow();
        await flow.GetCodeAsync(server, browser);

        var silent = await browser.GetAsync(flow.AuthorizeUrl(("prompt", "none")));
        Assert.Equal(HttpStatusCode.Redirect, silent.StatusCode);
        var logout = await browser.GetAsync($"v2/logout?client_id={ProtocolTenant.SpaClient}&returnTo={Uri.EscapeDataString("http://localhost:3000/")}");
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        var refused = await browser.GetAsync(flow.AuthorizeUrl(("prompt", "none")));
        Assert.Contains("login_required", refused.Headers.Location!.Query, StringComparison.Ordinal);

        Assert.Equal(alice, (string?)(await LogsTenant.WaitForAsync(admin, "type:ssa"))["user_id"]);
        var loggedOut = await LogsTenant.WaitForAsync(admin, "type:slo");
        Assert.Equal(alice, (string?)loggedOut["user_id"]);
        Assert.Equal(ProtocolTenant.SpaClient, (string?)loggedOut["client_id"]);
        Assert.Equal("Login required", (string?)(await LogsTenant.WaitForAsync(admin, "type:fsa"))["description"]);
    }

    [Fact]
    public async Task ManagementApi_PasswordPatchedAndRefused_RecordsSapiScpFapiFcp()
    {
        await using var server = await LogsTenant.StartAsync();
        using var admin = await LogsTenant.AdminAsync(server);
        var alice = await AliceIdAsync(server);
        var path = $"api/v2/users/{Uri.EscapeDataString(alice)}";

        Assert.Equal(HttpStatusCode.BadRequest, (await PatchAsync(admin, path, """{"password":"short"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(admin, path, """{"password":"a new long passphrase 7"}""")).StatusCode);

        var changed = await LogsTenant.WaitForAsync(admin, "type:scp");
        Assert.Equal(alice, (string?)changed["user_id"]);
        Assert.Equal(ManagementTenant.AdminClient, (string?)changed["client_id"]);
        Assert.Equal(alice, (string?)(await LogsTenant.WaitForAsync(admin, "type:fcp"))["user_id"]);

        var success = await LogsTenant.WaitForAsync(admin, "type:sapi");
        Assert.Equal("Update a user", (string?)success["description"]);
        Assert.Equal(ManagementTenant.AdminClient, (string?)success["client_id"]);
        Assert.Equal("Admin", (string?)success["client_name"]);
        Assert.Equal(200, (int)success["details"]!["response"]!["statusCode"]!);
        Assert.Equal("patch", (string?)success["details"]!["request"]!["method"]);
        Assert.Equal(400, (int)(await LogsTenant.WaitForAsync(admin, "type:fapi"))["details"]!["response"]!["statusCode"]!);

        // Reads are not API operations in the log.
        var all = await LogsTenant.ReadAsync(admin, "api/v2/logs?per_page=100");
        Assert.Equal(2, all.Count(e => (string?)e["type"] is "sapi" or "fapi"));
    }

    private static HttpClient Browser(LatchkeyTestServer server)
    {
        var client = server.CreateClient(new CookieContainer());
        client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
        return client;
    }

    private static async Task<HttpResponseMessage> PatchAsync(HttpClient admin, string path, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        return await admin.SendAsync(request);
    }

    internal static async Task<string> AliceIdAsync(LatchkeyTestServer server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>().Set<User>()
            .Where(u => u.Email == ProtocolTenant.UserEmail).Select(u => u.UserId).SingleAsync();
    }
}
