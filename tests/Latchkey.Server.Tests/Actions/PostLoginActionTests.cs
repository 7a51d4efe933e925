using System.Net;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Protocol;
using Latchkey.Server.Users;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.Server.Tests.Actions;

/// <summary>Post-login Actions over real HTTP: the code flow through the login pages, tokens decoded, rows read back.</summary>
public sealed class PostLoginActionTests
{
    [Fact]
    public async Task PostLogin_ActionSetsCustomClaims_BothTokensCarryThemAndProtectedClaimsStay()
    {
        await using var server = await LatchkeyTestServer.StartAsync(ActionTenant.Json(new ActionSpec("claims", """
            exports.onExecutePostLogin = async (event, api) => {
              const ns = 'https://example.com/';
              api.accessToken.setCustomClaim(ns + 'roles', event.authorization.roles);
              api.accessToken.setCustomClaim(ns + 'client', { id: event.client.client_id, api: event.resource_server.identifier });
              api.idToken.setCustomClaim(ns + 'email', event.user.email);
              api.idToken.setCustomClaim('favorite_color', 'blue');
              api.accessToken.setCustomClaim('sub', 'someone-else');
              api.idToken.setCustomClaim('iss', 'https://evil.example');
              api.accessToken.setCustomClaim('scope', 'admin');
              api.idToken.setCustomClaim('name', 'Mallory');
            };
            """)));

        var body = await new CodeFlow().RunAsync(server);

        var (_, access) = TokenClient.Decode((string)body["access_token"]!);
        var (_, id) = TokenClient.Decode((string)body["id_token"]!);
        Assert.Equal(["reader"], TokenClient.Strings(access["https://example.com/roles"]));
        Assert.Equal(ProtocolTenant.SpaClient, (string?)access["https://example.com/client"]!["id"]);
        Assert.Equal(ProtocolTenant.Api, (string?)access["https://example.com/client"]!["api"]);
        Assert.Null(access["https://example.com/email"]);
        Assert.Equal(ProtocolTenant.UserEmail, (string?)id["https://example.com/email"]);
        Assert.Equal("blue", (string?)id["favorite_color"]);
        Assert.Null(id["https://example.com/roles"]);
        Assert.StartsWith("latchkey|", (string?)access["sub"], StringComparison.Ordinal);
        Assert.Equal(access["sub"]!.ToString(), id["sub"]!.ToString());
        Assert.Equal(server.Issuer, (string?)id["iss"]);
        Assert.Equal("openid profile email offline_access read:messages", (string?)access["scope"]);
        Assert.Equal("Alice", (string?)id["name"]);
    }

    [Fact]
    public async Task PostLogin_ActionDenies_AppGetsAccessDeniedWithTheReason()
    {
        await using var server = await LatchkeyTestServer.StartAsync(ActionTenant.Json(new ActionSpec("deny", """
            exports.onExecutePostLogin = async (event, api) => {
              if (event.user.email === 'alice@example.com') api.access.deny('Alice may not use this app');
            };
            """)));
        using var client = server.CreateClient(new CookieContainer());

        var query = await new CodeFlow().AuthorizeAsync(server, client);

        Assert.Equal("access_denied", query["error"]);
        Assert.Equal("Alice may not use this app", query["error_description"]);
        Assert.False(query.ContainsKey("code"));
    }

    [Fact]
    public async Task PostLogin_TwoActions_RunInBindingOrderAndTheSecondSeesTheFirstsMetadata()
    {
        await using var server = await LatchkeyTestServer.StartAsync(ActionTenant.Json(
            new ActionSpec("first", """
                exports.onExecutePostLogin = async (event, api) => {
                  api.user.setUserMetadata('trail', 'first');
                  api.accessToken.setCustomClaim('https://example.com/order', ['first']);
                };
                """),
            new ActionSpec("second", """
                exports.onExecutePostLogin = async (event, api) => {
                  api.accessToken.setCustomClaim('https://example.com/order', [event.user.user_metadata.trail, 'second']);
                };
                """)));

        var body = await new CodeFlow().RunAsync(server);

        var (_, access) = TokenClient.Decode((string)body["access_token"]!);
        Assert.Equal(["first", "second"], TokenClient.Strings(access["https://example.com/order"]));
    }

    [Fact]
    public async Task PostLogin_ActionSetsMetadata_PersistedWithAuth0Merge()
    {
        await using var server = await LatchkeyTestServer.StartAsync(ActionTenant.Json(new ActionSpec("metadata", """
            exports.onExecutePostLogin = async (event, api) => {
              api.user.setUserMetadata('color', { primary: 'blue' });
              api.user.setUserMetadata('drop', null);
              api.user.setAppMetadata('plan', 'gold');
              api.user.setAppMetadata('logins_seen', event.stats.logins_count);
            };
            """)));
        using var client = server.CreateClient(new CookieContainer());

        var callback = await LoginDriver.AuthorizeAsync(server, client, new CodeFlow().AuthorizeUrl(), ActionTenant.OtherEmail, ActionTenant.OtherPassword);

        Assert.Contains("code=", callback.Query, StringComparison.Ordinal);
        await using var scope = server.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>().Set<User>().SingleAsync(u => u.Email == ActionTenant.OtherEmail);
        Assert.Equal("""{"keep":1,"color":{"primary":"blue"}}""", user.UserMetadata);
        Assert.Equal("gold", (string?)UserMetadata.Parse(user.AppMetadata)["plan"]);
    }

    [Fact]
    public async Task PostLogin_ActionThrows_FailsClosedWithAShortDescription()
    {
        await using var server = await LatchkeyTestServer.StartAsync(ActionTenant.Json(new ActionSpec("thrower", """
            exports.onExecutePostLogin = async (event, api) => {
              api.accessToken.setCustomClaim('https://example.com/x', 1);
              throw new Error('internal detail ' + event.user.email);
            };
            """)));
        using var client = server.CreateClient(new CookieContainer());

        var query = await new CodeFlow().AuthorizeAsync(server, client);

        Assert.Equal("access_denied", query["error"]);
        Assert.Equal("Action \"thrower\" failed: it threw an error", query["error_description"]);
    }

    [Fact]
    public async Task PostLogin_RunawayAction_StoppedAtTheLimitWhileOtherLoginsSucceed()
    {
        await using var server = await LatchkeyTestServer.StartAsync(
            ActionTenant.Json(new ActionSpec("runaway", """
                exports.onExecutePostLogin = async (event, api) => {
                  if (event.user.email === 'bob@example.com') { while (true) {} }
                  api.accessToken.setCustomClaim('https://example.com/ok', true);
                };
                """)),
            "--Latchkey:Actions:TimeLimit", "00:00:02", "--Latchkey:Actions:MaxStatements", "1000000000");
        using var runawayClient = server.CreateClient(new CookieContainer());
        var runaway = LoginDriver.AuthorizeAsync(server, runawayClient, new CodeFlow().AuthorizeUrl(), ActionTenant.OtherEmail, ActionTenant.OtherPassword);

        var others = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => new CodeFlow().RunAsync(server)));
        var callback = await runaway;

        Assert.All(others, body => Assert.Equal(true, (bool?)TokenClient.Decode((string)body["access_token"]!).Payload["https://example.com/ok"]));
        var query = QueryHelpers.ParseQuery(callback.Query);
        Assert.Equal("access_denied", query["error"].ToString());
        Assert.Equal("Action \"runaway\" failed: time limit exceeded", query["error_description"].ToString());
    }

    [Fact]
    public async Task PostLogin_StatementAndMemoryLimits_FailClosed()
    {
        await using var server = await LatchkeyTestServer.StartAsync(
            ActionTenant.Json(new ActionSpec("hungry", """
                exports.onExecutePostLogin = async (event, api) => {
                  if (event.user.email === 'bob@example.com') { const a = []; for (;;) a.push('x'.repeat(1000) + a.length); }
                  let n = 0; for (;;) n++;
                };
                """)),
            "--Latchkey:Actions:MaxStatements", "100000", "--Latchkey:Actions:MaxMemoryBytes", "8388608");
        using var alice = server.CreateClient(new CookieContainer());
        using var bob = server.CreateClient(new CookieContainer());

        var statements = await new CodeFlow().AuthorizeAsync(server, alice);
        var memory = QueryHelpers.ParseQuery((await LoginDriver.AuthorizeAsync(server, bob, new CodeFlow().AuthorizeUrl(), ActionTenant.OtherEmail, ActionTenant.OtherPassword)).Query);

        Assert.Equal("Action \"hungry\" failed: statement limit exceeded", statements["error_description"]);
        Assert.Equal("Action \"hungry\" failed: memory limit exceeded", memory["error_description"].ToString());
    }

    [Fact]
    public async Task PostLogin_SandboxOffersNoModulesNoClrAndNoUnsupportedApi_FailsClosed()
    {
        await using var server = await LatchkeyTestServer.StartAsync(ActionTenant.Json(new ActionSpec("escape", """
            exports.onExecutePostLogin = async (event, api) => {
              const found = [typeof System, typeof importNamespace, typeof process, typeof setTimeout, typeof fetch].join(',');
              api.idToken.setCustomClaim('https://example.com/globals', found);
              if (event.user.email === 'bob@example.com') api.redirect.sendUserTo('https://evil.example');
            };
            """)));
        using var bob = server.CreateClient(new CookieContainer());

        var body = await new CodeFlow().RunAsync(server);
        var redirect = QueryHelpers.ParseQuery((await LoginDriver.AuthorizeAsync(server, bob, new CodeFlow().AuthorizeUrl(), ActionTenant.OtherEmail, ActionTenant.OtherPassword)).Query);

        Assert.Equal("undefined,undefined,undefined,undefined,undefined", (string?)TokenClient.Decode((string)body["id_token"]!).Payload["https://example.com/globals"]);
        Assert.Equal("Action \"escape\" failed: it threw an error", redirect["error_description"].ToString());
    }

    [Fact]
    public async Task PostLogin_Secrets_ReadByTheScriptAndStoredEncrypted()
    {
        const string secret = "s3cr3t-value-0123456789";
        await using var server = await LatchkeyTestServer.StartAsync(ActionTenant.Json(new ActionSpec("secrets", """
            exports.onExecutePostLogin = async (event, api) => {
              api.accessToken.setCustomClaim('https://example.com/key_length', event.secrets.API_KEY.length);
              api.accessToken.setCustomClaim('https://example.com/key_prefix', event.secrets.API_KEY.slice(0, 6));
            };
            """) { Secrets = new Dictionary<string, string> { ["API_KEY"] = secret } }));

        var body = await new CodeFlow().RunAsync(server);

        var (_, access) = TokenClient.Decode((string)body["access_token"]!);
        Assert.Equal(secret.Length, (int)access["https://example.com/key_length"]!);
        Assert.Equal("s3cr3t", (string?)access["https://example.com/key_prefix"]);
        await using var scope = server.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>().Set<Server.Actions.ActionDefinition>().AsNoTracking().SingleAsync();
        Assert.DoesNotContain(stored.Secrets, s => s.ProtectedValue.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refresh_PostLoginAction_RunsAgainWithTheRefreshProtocolKeepsItsCacheAndCanDeny()
    {
        await using var server = await LatchkeyTestServer.StartAsync(ActionTenant.Json(new ActionSpec("refresh", """
            exports.onExecutePostLogin = async (event, api) => {
              const runs = Number(api.cache.get('runs')?.value ?? 0) + 1;
              api.cache.set('runs', String(runs));
              api.accessToken.setCustomClaim('https://example.com/protocol', event.transaction.protocol);
              api.accessToken.setCustomClaim('https://example.com/runs', runs);
              if (event.transaction.protocol === 'oauth2-refresh-token') {
                if (event.user.app_metadata.refreshed) api.access.deny('refresh refused');
                api.user.setAppMetadata('refreshed', true);
              }
            };
            """)));
        using var client = server.CreateClient(new CookieContainer());

        var body = await new CodeFlow().RunAsync(server, client);
        var first = await CodeFlow.RefreshAsync(client, ProtocolTenant.SpaClient, (string)body["refresh_token"]!);
        var firstBody = await first.ReadJsonObjectAsync();
        var second = await CodeFlow.RefreshAsync(client, ProtocolTenant.SpaClient, (string)firstBody["refresh_token"]!);

        var login = TokenClient.Decode((string)body["access_token"]!).Payload;
        Assert.Equal("oidc-basic-profile", (string?)login["https://example.com/protocol"]);
        Assert.Equal(1, (int)login["https://example.com/runs"]!);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var refreshed = TokenClient.Decode((string)firstBody["access_token"]!).Payload;
        Assert.Equal("oauth2-refresh-token", (string?)refreshed["https://example.com/protocol"]);
        Assert.Equal(2, (int)refreshed["https://example.com/runs"]!);
        Assert.Equal(HttpStatusCode.Forbidden, second.StatusCode);
        var error = await second.ReadJsonObjectAsync();
        Assert.Equal("access_denied", (string?)error["error"]);
        Assert.Equal("refresh refused", (string?)error["error_description"]);
    }
}
