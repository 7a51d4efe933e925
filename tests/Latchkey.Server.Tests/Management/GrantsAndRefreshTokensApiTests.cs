using System.Net;
using System.Text.Json.Nodes;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Protocol;
using Latchkey.Server.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.Server.Tests.Management;

/// <summary>
/// <c>/api/v2/grants</c>, <c>/api/v2/users/{id}/refresh-tokens</c> and <c>/api/v2/refresh-tokens/{id}</c> over real
/// HTTP on SQLite and PostgreSQL: real logins make the grants and refresh tokens, and a revocation is proved by the
/// token endpoint refusing the refresh token.
/// </summary>
public sealed class GrantsAndRefreshTokensApiTests
{
    private const string Scopes = "read:grants delete:grants read:refresh_tokens delete:refresh_tokens";

    [Theory]
    [MemberData(nameof(StorageServer.Providers), MemberType = typeof(StorageServer))]
    public async Task Grants_AfterLogins_ListedFilteredAndPagedInAuth0Shape(string provider)
    {
        await using var storage = await StartAsync(provider);
        var (api, userId) = await ApiAsync(storage.Server);
        await LogInAsync(storage.Server);
        await LogInAsync(storage.Server);

        var all = (await api.OkAsync("GET", $"grants?user_id={Uri.EscapeDataString(userId)}")).AsArray();
        var page = await api.OkAsync("GET", $"grants?user_id={Uri.EscapeDataString(userId)}&per_page=1&page=1&include_totals=true");
        var byClient = (await api.OkAsync("GET", $"grants?user_id={Uri.EscapeDataString(userId)}&client_id={ProtocolTenant.SpaClient}")).AsArray();
        var otherClient = (await api.OkAsync("GET", $"grants?user_id={Uri.EscapeDataString(userId)}&client_id=web")).AsArray();
        var otherAudience = (await api.OkAsync("GET", $"grants?audience={Uri.EscapeDataString(ProtocolTenant.PlainApi)}")).AsArray();
        var nobody = (await api.OkAsync("GET", "grants?user_id=latchkey%7C000000000000000000000000")).AsArray();

        Assert.Equal(2, all.Count);
        var grant = all[0]!.AsObject();
        Assert.Equal(["audience", "clientID", "id", "scope", "user_id"], grant.Select(p => p.Key).Order());
        Assert.Equal((ProtocolTenant.SpaClient, userId, ProtocolTenant.Api), ((string?)grant["clientID"], (string?)grant["user_id"], (string?)grant["audience"]));
        Assert.Contains("read:messages", TokenClient.Strings(grant["scope"]));
        Assert.Contains("offline_access", TokenClient.Strings(grant["scope"]));
        Assert.Equal((1, 1, 1, 2), ((int)page["start"]!, (int)page["limit"]!, (int)page["length"]!, (int)page["total"]!));
        Assert.Equal((string?)all[1]!["id"], (string?)page["grants"]![0]!["id"]);
        Assert.Equal(2, byClient.Count);
        Assert.Empty(otherClient);
        Assert.Empty(otherAudience);
        Assert.Empty(nobody);
    }

    [Theory]
    [MemberData(nameof(StorageServer.Providers), MemberType = typeof(StorageServer))]
    public async Task DeleteGrant_ById_RefreshTokenStopsWorking(string provider)
    {
        await using var storage = await StartAsync(provider);
        var (api, userId) = await ApiAsync(storage.Server);
        var (browser, refreshToken) = await LogInAsync(storage.Server);
        var kept = (string)(await api.OkAsync("GET", $"grants?user_id={Uri.EscapeDataString(userId)}"))[0]!["id"]!;
        var (otherBrowser, otherRefreshToken) = await LogInAsync(storage.Server);
        var id = (await api.OkAsync("GET", $"grants?user_id={Uri.EscapeDataString(userId)}")).AsArray().Select(g => (string)g!["id"]!).Single(g => g != kept);

        var (status, _, _) = await api.SendAsync("DELETE", $"grants/{id}");
        using var refused = await CodeFlow.RefreshAsync(otherBrowser, ProtocolTenant.SpaClient, otherRefreshToken);
        using var stillWorks = await CodeFlow.RefreshAsync(browser, ProtocolTenant.SpaClient, refreshToken);
        var (again, _, _) = await api.SendAsync("DELETE", $"grants/{id}");

        Assert.Equal(204, status);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("invalid_grant", (string?)(await refused.ReadJsonObjectAsync())["error"]);
        Assert.Equal(HttpStatusCode.OK, stillWorks.StatusCode);
        Assert.Equal(204, again);
        Assert.DoesNotContain(id, (await api.OkAsync("GET", $"grants?user_id={Uri.EscapeDataString(userId)}")).AsArray().Select(g => (string?)g!["id"]));
        browser.Dispose();
        otherBrowser.Dispose();
    }

    [Theory]
    [MemberData(nameof(StorageServer.Providers), MemberType = typeof(StorageServer))]
    public async Task DeleteGrants_ByUser_RevokesEveryRefreshToken(string provider)
    {
        await using var storage = await StartAsync(provider);
        var (api, userId) = await ApiAsync(storage.Server);
        var (browser, refreshToken) = await LogInAsync(storage.Server);
        var (otherBrowser, otherRefreshToken) = await LogInAsync(storage.Server);

        var missing = await api.ErrorAsync("DELETE", "grants", null, 400, "invalid_query_string");
        var (status, _, _) = await api.SendAsync("DELETE", $"grants?user_id={Uri.EscapeDataString(userId)}");
        using var first = await CodeFlow.RefreshAsync(browser, ProtocolTenant.SpaClient, refreshToken);
        using var second = await CodeFlow.RefreshAsync(otherBrowser, ProtocolTenant.SpaClient, otherRefreshToken);

        Assert.Equal("Query validation error: 'Missing required property: user_id'.", missing);
        Assert.Equal(204, status);
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (first.StatusCode, second.StatusCode));
        Assert.Empty((await api.OkAsync("GET", $"grants?user_id={Uri.EscapeDataString(userId)}")).AsArray());
        browser.Dispose();
        otherBrowser.Dispose();
    }

    [Theory]
    [MemberData(nameof(StorageServer.Providers), MemberType = typeof(StorageServer))]
    public async Task RefreshTokens_AfterRotation_OneFamilyInAuth0Shape(string provider)
    {
        await using var storage = await StartAsync(provider);
        var (api, userId) = await ApiAsync(storage.Server);
        var (browser, refreshToken) = await LogInAsync(storage.Server);
        using var rotated = await CodeFlow.RefreshAsync(browser, ProtocolTenant.SpaClient, refreshToken);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);

        var page = await api.OkAsync("GET", $"users/{Uri.EscapeDataString(userId)}/refresh-tokens");
        var token = Assert.Single(page["tokens"]!.AsArray())!.AsObject();
        var grant = Assert.Single((await api.OkAsync("GET", $"grants?user_id={Uri.EscapeDataString(userId)}")).AsArray())!;

        Assert.Null(page["next"]);
        Assert.Equal(
            ["client_id", "created_at", "expires_at", "id", "idle_expires_at", "last_exchanged_at", "resource_servers", "rotating", "session_id", "user_id"],
            token.Select(p => p.Key).Order());
        Assert.Equal((string?)grant["id"], (string?)token["id"]);
        Assert.Equal((userId, ProtocolTenant.SpaClient, true), ((string?)token["user_id"], (string?)token["client_id"], (bool)token["rotating"]!));
        Assert.False(string.IsNullOrEmpty((string?)token["session_id"]));
        var created = DateTimeOffset.Parse((string)token["created_at"]!, System.Globalization.CultureInfo.InvariantCulture);
        var idle = DateTimeOffset.Parse((string)token["idle_expires_at"]!, System.Globalization.CultureInfo.InvariantCulture);
        var expires = DateTimeOffset.Parse((string)token["expires_at"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(created < idle && idle <= expires, token.ToJsonString());
        Assert.NotNull((string?)token["last_exchanged_at"]);
        var server = Assert.Single(token["resource_servers"]!.AsArray())!;
        Assert.Equal(ProtocolTenant.Api, (string?)server["audience"]);
        Assert.Contains("read:messages", ((string)server["scopes"]!).Split(' '));
        Assert.True(JsonNode.DeepEquals(token, await api.OkAsync("GET", $"refresh-tokens/{token["id"]}")));
        browser.Dispose();
    }

    [Theory]
    [MemberData(nameof(StorageServer.Providers), MemberType = typeof(StorageServer))]
    public async Task RefreshToken_DeletedById_FamilyDoesNotComeBackThroughRotation(string provider)
    {
        await using var storage = await StartAsync(provider);
        var (api, userId) = await ApiAsync(storage.Server);
        var (browser, refreshToken) = await LogInAsync(storage.Server);
        using var rotated = await CodeFlow.RefreshAsync(browser, ProtocolTenant.SpaClient, refreshToken);
        var latest = (string)(await rotated.ReadJsonObjectAsync())["refresh_token"]!;
        var id = (string)(await api.OkAsync("GET", $"users/{Uri.EscapeDataString(userId)}/refresh-tokens"))["tokens"]![0]!["id"]!;

        var (status, _, _) = await api.SendAsync("DELETE", $"refresh-tokens/{id}");
        using var latestRefused = await CodeFlow.RefreshAsync(browser, ProtocolTenant.SpaClient, latest);
        using var firstRefused = await CodeFlow.RefreshAsync(browser, ProtocolTenant.SpaClient, refreshToken);
        var missing = await api.ErrorAsync("GET", $"refresh-tokens/{id}", null, 404, "inexistent_refresh_token");

        Assert.Equal(202, status);
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (latestRefused.StatusCode, firstRefused.StatusCode));
        Assert.Equal("The refresh token does not exist", missing);
        Assert.Empty((await api.OkAsync("GET", $"users/{Uri.EscapeDataString(userId)}/refresh-tokens"))["tokens"]!.AsArray());
        browser.Dispose();
    }

    [Fact]
    public async Task RefreshTokens_CheckpointPaging_WalksEveryFamilyOnce()
    {
        await using var storage = await StartAsync(StorageServer.Sqlite);
        var (api, userId) = await ApiAsync(storage.Server);
        for (var i = 0; i < 3; i++)
        {
            var (browser, _) = await LogInAsync(storage.Server);
            browser.Dispose();
        }

        var path = $"users/{Uri.EscapeDataString(userId)}/refresh-tokens?include_totals=true&take=2";
        var first = await api.OkAsync("GET", path);
        var second = await api.OkAsync("GET", $"{path}&from={first["next"]}");

        Assert.Equal(2, first["tokens"]!.AsArray().Count);
        Assert.Single(second["tokens"]!.AsArray());
        Assert.Null(second["next"]);
        Assert.Equal(3, first["tokens"]!.AsArray().Concat(second["tokens"]!.AsArray()).Select(t => (string?)t!["id"]).Distinct().Count());
        Assert.Equal("Query validation error: 'Value 0 is less than minimum 1' on property take.",
            await api.ErrorAsync("GET", $"users/{Uri.EscapeDataString(userId)}/refresh-tokens?take=0", null, 400, "invalid_query_string"));
    }

    [Theory]
    [MemberData(nameof(StorageServer.Providers), MemberType = typeof(StorageServer))]
    public async Task RefreshTokens_DeletedForUser_EveryRefreshRefused(string provider)
    {
        await using var storage = await StartAsync(provider);
        var (api, userId) = await ApiAsync(storage.Server);
        var (browser, refreshToken) = await LogInAsync(storage.Server);

        var (status, _, _) = await api.SendAsync("DELETE", $"users/{Uri.EscapeDataString(userId)}/refresh-tokens");
        using var refused = await CodeFlow.RefreshAsync(browser, ProtocolTenant.SpaClient, refreshToken);

        Assert.Equal(202, status);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Empty((await api.OkAsync("GET", $"users/{Uri.EscapeDataString(userId)}/refresh-tokens"))["tokens"]!.AsArray());
        browser.Dispose();
    }

    [Fact]
    public async Task UnknownUserOrMissingScope_Is404Or403()
    {
        await using var storage = await StartAsync(StorageServer.Sqlite);
        var (api, userId) = await ApiAsync(storage.Server);
        var reader = ManagementTokens.Mint(storage.Server, "reader@clients", "read:grants read:refresh_tokens", client: true);
        var user = Uri.EscapeDataString(userId);

        var unknownList = await api.ErrorAsync("GET", "users/latchkey%7C000000000000000000000000/refresh-tokens", null, 404, "inexistent_user");
        var unknownDelete = await api.ErrorAsync("DELETE", "users/latchkey%7C000000000000000000000000/refresh-tokens", null, 404, "inexistent_user");
        var deleteGrant = await api.ErrorAsync("DELETE", $"grants?user_id={user}", null, 403, "insufficient_scope", asToken: reader);
        var deleteTokens = await api.ErrorAsync("DELETE", $"users/{user}/refresh-tokens", null, 403, "insufficient_scope", asToken: reader);
        var readGrants = await api.ErrorAsync("GET", $"grants?user_id={user}", null, 403, "insufficient_scope",
            asToken: ManagementTokens.Mint(storage.Server, "deleter@clients", "delete:grants", client: true));

        Assert.Equal("The user does not exist.", unknownList);
        Assert.Equal(unknownList, unknownDelete);
        Assert.Equal("Insufficient scope, expected any of: delete:grants", deleteGrant);
        Assert.Equal("Insufficient scope, expected any of: delete:refresh_tokens", deleteTokens);
        Assert.Equal("Insufficient scope, expected any of: read:grants", readGrants);
        await api.ErrorAsync("GET", "refresh-tokens/not-a-family", null, 404, "inexistent_refresh_token");
    }

    private static Task<StorageServer> StartAsync(string provider) =>
        StorageServer.StartAsync(provider, AdminTenant.Json, "--Latchkey:Issuer", ManagementTenant.Issuer);

    private static async Task<(ConfigApi Api, string UserId)> ApiAsync(LatchkeyTestServer server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var userId = await scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>().Set<User>()
            .Where(u => u.Email == ProtocolTenant.UserEmail).Select(u => u.UserId).SingleAsync();
        return (new ConfigApi(server, ManagementTokens.Mint(server, "grants-admin@clients", Scopes, client: true)), userId);
    }

    private static async Task<(HttpClient Browser, string RefreshToken)> LogInAsync(LatchkeyTestServer server)
    {
        var browser = server.CreateClient(new CookieContainer());
        var tokens = await new CodeFlow().RunAsync(server, browser);
        return (browser, (string)tokens["refresh_token"]!);
    }
}
