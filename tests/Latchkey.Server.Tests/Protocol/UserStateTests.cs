using System.Net;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tenants;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.Server.Tests.Protocol;

/// <summary>Tokens follow the current state of the user and the tenant, not the state at login.</summary>
public sealed class UserStateTests
{
    [Fact]
    public async Task Refresh_BlockedUser_IsInvalidGrantUserIsBlocked()
    {
        await using var server = await LatchkeyTestServer.StartAsync(ProtocolTenant.Json);
        var tokens = await new CodeFlow().RunAsync(server);
        await UpdateUserAsync(server, user => user.Blocked = true);
        using var client = server.CreateClient();

        var response = await CodeFlow.RefreshAsync(client, ProtocolTenant.SpaClient, (string)tokens["refresh_token"]!);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("""{"error":"invalid_grant","error_description":"user is blocked"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Refresh_DeletedUser_IsUnknownRefreshToken()
    {
        await using var server = await LatchkeyTestServer.StartAsync(ProtocolTenant.Json);
        var tokens = await new CodeFlow().RunAsync(server);
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();
            await db.Set<User>().Where(u => u.NormalizedEmail == EmailAddress.Normalize(ProtocolTenant.UserEmail)).ExecuteDeleteAsync();
        }

        using var client = server.CreateClient();

        var response = await CodeFlow.RefreshAsync(client, ProtocolTenant.SpaClient, (string)tokens["refresh_token"]!);

        Assert.Equal("""{"error":"invalid_grant","error_description":"Unknown or invalid refresh token."}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Refresh_ProfileAndRoleChanges_ReachTheNewTokens()
    {
        await using var server = await LatchkeyTestServer.StartAsync(ProtocolTenant.Json);
        var tokens = await new CodeFlow().RunAsync(server);
        await UpdateUserAsync(server, user =>
        {
            user.Name = "Alice Renamed";
            user.Roles = [];
            user.UpdatedAt = DateTimeOffset.UtcNow;
        });
        using var client = server.CreateClient();

        var response = await CodeFlow.RefreshAsync(client, ProtocolTenant.SpaClient, (string)tokens["refresh_token"]!);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonObjectAsync();
        var (_, id) = TokenClient.Decode((string)body["id_token"]!);
        var (_, at) = TokenClient.Decode((string)body["access_token"]!);
        Assert.Equal("Alice Renamed", (string?)id["name"]);
        Assert.Empty(TokenClient.Strings(at["permissions"]));
        Assert.IsType<System.Text.Json.Nodes.JsonArray>(at["permissions"]);
        Assert.DoesNotContain("read:messages", ((string?)at["scope"])!.Split(' '));
    }

    [Fact]
    public async Task ClientCredentials_GrantRemovedAndCacheInvalidated_Is403()
    {
        await using var server = await LatchkeyTestServer.StartAsync(ProtocolTenant.Json);
        using var client = server.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.ClientCredentialsAsync(ProtocolTenant.M2mClient, ProtocolTenant.M2mSecret, ProtocolTenant.Api)).StatusCode);
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();
            await db.Set<ClientGrant>().Where(g => g.ClientId == ProtocolTenant.M2mClient && g.Audience == ProtocolTenant.Api).ExecuteDeleteAsync();
        }

        server.Services.GetRequiredService<TenantCache>().Invalidate();

        var response = await client.ClientCredentialsAsync(ProtocolTenant.M2mClient, ProtocolTenant.M2mSecret, ProtocolTenant.Api);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Refresh_AfterRestart_OldRefreshTokenStillWorks()
    {
        using var persistent = new PersistentServer();
        var first = await persistent.StartAsync(ProtocolTenant.Json);
        string refreshToken;
        try
        {
            using var browser = persistent.CreateClient(new CookieContainer());
            refreshToken = (string)(await LoginAndRedeemAsync(persistent, browser))["refresh_token"]!;
        }
        finally
        {
            await PersistentServer.StopAsync(first);
        }

        var second = await persistent.StartAsync(ProtocolTenant.Json);
        try
        {
            using var client = persistent.CreateClient();

            var response = await CodeFlow.RefreshAsync(client, ProtocolTenant.SpaClient, refreshToken);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.NotNull((await response.ReadJsonObjectAsync())["refresh_token"]);
        }
        finally
        {
            await PersistentServer.StopAsync(second);
        }
    }

    private static async Task UpdateUserAsync(LatchkeyTestServer server, Action<User> change)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();
        var user = await db.Set<User>().SingleAsync(u => u.NormalizedEmail == EmailAddress.Normalize(ProtocolTenant.UserEmail));
        change(user);
        await db.SaveChangesAsync();
    }

    /// <summary>The code flow against a <see cref="PersistentServer"/> (the login driver's loop, for a host it did not start).</summary>
    private static async Task<System.Text.Json.Nodes.JsonObject> LoginAndRedeemAsync(PersistentServer server, HttpClient client)
    {
        var flow = new CodeFlow();
        var next = new Uri(server.BaseAddress, flow.AuthorizeUrl());
        for (var hop = 0; hop < 10; hop++)
        {
            using var response = await client.GetAsync(next);
            if (response.StatusCode == HttpStatusCode.Found)
            {
                next = new Uri(next, response.Headers.Location!);
                if (next.AbsoluteUri.StartsWith(flow.RedirectUri, StringComparison.Ordinal))
                {
                    var code = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(next.Query)["code"].ToString();
                    return await (await flow.RedeemAsync(client, code)).ReadJsonObjectAsync();
                }

                continue;
            }

            var html = await response.Content.ReadAsStringAsync();
            using var posted = await LoginDriver.PostLoginAsync(client, LoginDriver.ParseAntiforgeryToken(html),
                ProtocolTenant.UserEmail, ProtocolTenant.UserPassword, LoginDriver.HiddenField(html, "returnUrl") ?? "/");
            next = new Uri(next, posted.Headers.Location!);
        }

        throw new InvalidOperationException("The code flow did not reach the callback.");
    }
}
