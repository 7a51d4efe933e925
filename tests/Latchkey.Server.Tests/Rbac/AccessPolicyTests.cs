using System.Net;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Protocol;
using Microsoft.AspNetCore.WebUtilities;

namespace Latchkey.Server.Tests.Rbac;

/// <summary>
/// Auth0 RBAC in the tokens (docs/access-policies.md): on an API with policies enforced a user gets only the requested
/// scopes it holds as permissions (through roles or directly), the <c>_authz</c> dialects add every permission it holds
/// there, and changes made through <c>/api/v2</c> reach the very next token or refresh.
/// </summary>
public sealed class AccessPolicyTests(RbacServerFixture fixture) : IClassFixture<RbacServerFixture>
{
    private const string Password = "rbac-password-1";

    [Fact]
    public async Task UserToken_EnforcedApiAuthzDialect_NarrowsScopeAndListsEveryPermission()
    {
        var (_, email) = await fixture.CreateUserAsync(Password, RbacTenant.Clerk);

        // Asks for write:orders (not held) and not for read:orders (held).
        var at = AccessToken(await LogInAsync(email, "openid write:orders delete:orders", RbacTenant.Orders));

        Assert.Equal(["openid"], Scopes(at));
        Assert.Equal(["read:orders"], TokenClient.Strings(at["permissions"]));
    }

    [Theory]
    [InlineData(RbacTenant.Orders, true, false)]
    [InlineData(RbacTenant.Plain, false, false)]
    [InlineData(RbacTenant.Rfc, true, true)]
    [InlineData(RbacTenant.RfcPlain, false, true)]
    public async Task UserToken_EachDialect_CarriesPermissionsAndClientClaimAsAuth0(string audience, bool permissions, bool rfc9068)
    {
        var (_, email) = await fixture.CreateUserAsync(Password, RbacTenant.Clerk);

        var tokens = await LogInAsync(email, "openid read:orders write:orders", audience);

        var (header, at) = TokenClient.Decode((string)tokens["access_token"]!);
        Assert.Equal("at+jwt", (string?)header["typ"]);
        Assert.Equal(["openid", "read:orders"], Scopes(at));
        Assert.Equal(permissions, at.ContainsKey("permissions"));
        if (permissions)
        {
            Assert.Equal(["read:orders"], TokenClient.Strings(at["permissions"]));
        }

        Assert.Equal(RbacTenant.Spa, (string?)at["client_id"]);
        Assert.Equal(!rfc9068, at.ContainsKey("azp"));
        Assert.False(string.IsNullOrEmpty((string?)at["jti"]));
    }

    [Fact]
    public async Task UserToken_PoliciesNotEnforced_GrantsAnyDefinedScopeWithoutPermissions()
    {
        var (_, email) = await fixture.CreateUserAsync(Password);

        var at = AccessToken(await LogInAsync(email, "openid read:orders write:orders delete:everything", RbacTenant.Open));

        Assert.Equal(["openid", "read:orders", "write:orders"], Scopes(at));
        Assert.False(at.ContainsKey("permissions"));
    }

    [Fact]
    public async Task UserToken_NoRoles_GetsNoApiScopeAndEmptyPermissions()
    {
        var (_, email) = await fixture.CreateUserAsync(Password);

        var at = AccessToken(await LogInAsync(email, "openid read:orders", RbacTenant.Orders));

        Assert.Equal(["openid"], Scopes(at));
        Assert.IsType<JsonArray>(at["permissions"]);
        Assert.Empty(TokenClient.Strings(at["permissions"]));
    }

    [Fact]
    public async Task Refresh_PermissionRemovedFromRoleThroughApi_IsGoneFromNextTokens()
    {
        var roleId = await fixture.CreateRoleAsync((RbacTenant.Orders, "read:orders"), (RbacTenant.Orders, "delete:orders"));
        var (userId, email) = await fixture.CreateUserAsync(Password);
        await fixture.CallAsync(HttpStatusCode.NoContent, HttpMethod.Post, $"users/{RbacServerFixture.Escape(userId)}/roles", $$"""{"roles":["{{roleId}}"]}""");
        var tokens = await LogInAsync(email, "openid offline_access read:orders", RbacTenant.Orders);
        Assert.Equal(["delete:orders", "read:orders"], TokenClient.Strings(AccessToken(tokens)["permissions"]));

        await fixture.CallAsync(HttpStatusCode.OK, HttpMethod.Delete, $"roles/{roleId}/permissions", RbacServerFixture.PermissionsBody((RbacTenant.Orders, "read:orders")));
        var refreshed = await RefreshAsync(tokens);

        var at = AccessToken(refreshed);
        Assert.Equal(["offline_access", "openid"], Scopes(at));
        Assert.Equal(["delete:orders"], TokenClient.Strings(at["permissions"]));
    }

    [Fact]
    public async Task Refresh_RoleDeletedThroughApi_LosesItsPermissions()
    {
        var roleId = await fixture.CreateRoleAsync((RbacTenant.Orders, "read:orders"));
        var (userId, email) = await fixture.CreateUserAsync(Password);
        await fixture.CallAsync(HttpStatusCode.OK, HttpMethod.Post, $"roles/{roleId}/users", $$"""{"users":["{{userId}}"]}""");
        var tokens = await LogInAsync(email, "openid offline_access read:orders", RbacTenant.Orders);
        Assert.Contains("read:orders", Scopes(AccessToken(tokens)));

        await fixture.CallAsync(HttpStatusCode.OK, HttpMethod.Delete, $"roles/{roleId}");
        var at = AccessToken(await RefreshAsync(tokens));

        Assert.DoesNotContain("read:orders", Scopes(at));
        Assert.Empty(TokenClient.Strings(at["permissions"]));
    }

    [Fact]
    public async Task Refresh_RoleTakenAwayThroughApi_LosesItsPermissions()
    {
        var (userId, email) = await fixture.CreateUserAsync(Password, RbacTenant.Clerk);
        var tokens = await LogInAsync(email, "openid offline_access read:orders", RbacTenant.Orders);
        var clerk = (string)(await fixture.CallAsync(HttpStatusCode.OK, HttpMethod.Get, "roles?name_filter=CLERK"))!.AsArray().Single()!["id"]!;

        using var deleted = await fixture.SendAsync(HttpMethod.Delete, $"users/{RbacServerFixture.Escape(userId)}/roles", $$"""{"roles":["{{clerk}}"]}""");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var at = AccessToken(await RefreshAsync(tokens));

        Assert.Empty(TokenClient.Strings(at["permissions"]));
    }

    [Fact]
    public async Task Token_DirectPermissionGrantedThroughApi_AppearsAtNextTokenAndRefresh()
    {
        var (userId, email) = await fixture.CreateUserAsync(Password);
        var tokens = await LogInAsync(email, "openid offline_access write:orders", RbacTenant.Orders);
        Assert.Empty(TokenClient.Strings(AccessToken(tokens)["permissions"]));

        await fixture.CallAsync(HttpStatusCode.Created, HttpMethod.Post, $"users/{RbacServerFixture.Escape(userId)}/permissions",
            RbacServerFixture.PermissionsBody((RbacTenant.Orders, "write:orders")));

        // The refresh keeps the scopes first granted (RFC 6749 §6) but lists the new permission at once.
        Assert.Equal(["write:orders"], TokenClient.Strings(AccessToken(await RefreshAsync(tokens))["permissions"]));

        // A new authorization that asks for it now gets the scope too.
        var again = AccessToken(await LogInAsync(email, "openid write:orders", RbacTenant.Orders));
        Assert.Equal(["openid", "write:orders"], Scopes(again));
        Assert.Equal(["write:orders"], TokenClient.Strings(again["permissions"]));
    }

    [Fact]
    public async Task Token_DirectPermissionAndRole_AreMergedOnce()
    {
        var (userId, email) = await fixture.CreateUserAsync(Password, RbacTenant.Clerk);
        await fixture.CallAsync(HttpStatusCode.Created, HttpMethod.Post, $"users/{RbacServerFixture.Escape(userId)}/permissions",
            RbacServerFixture.PermissionsBody((RbacTenant.Orders, "read:orders"), (RbacTenant.Orders, "delete:orders")));

        var at = AccessToken(await LogInAsync(email, "openid read:orders delete:orders", RbacTenant.Orders));

        Assert.Equal(["delete:orders", "openid", "read:orders"], Scopes(at));
        Assert.Equal(["delete:orders", "read:orders"], TokenClient.Strings(at["permissions"]));
    }

    [Fact]
    public async Task UserToken_ManagementApiScopeHeldThroughRole_IsGranted()
    {
        var (_, holder) = await fixture.CreateUserAsync(Password, RbacTenant.Auditor);
        var (_, other) = await fixture.CreateUserAsync(Password);

        var granted = AccessToken(await LogInAsync(holder, "openid read:roles read:users", RbacTenant.ManagementAudience));
        var refused = AccessToken(await LogInAsync(other, "openid read:roles", RbacTenant.ManagementAudience));

        Assert.Equal(["openid", "read:roles"], Scopes(granted));
        Assert.Equal(["openid"], Scopes(refused));
        using var roles = await fixture.SendAsync(HttpMethod.Get, "roles", token: (string)(await LogInAsync(holder, "openid read:roles", RbacTenant.ManagementAudience))["access_token"]!);
        Assert.Equal(HttpStatusCode.OK, roles.StatusCode);
    }

    [Theory]
    [InlineData(RbacTenant.Orders, true, true)]
    [InlineData(RbacTenant.RfcPlain, false, false)]
    public async Task ClientCredentials_EachDialect_PermissionsAreTheGrantsScopes(string audience, bool permissions, bool azp)
    {
        var (_, at) = TokenClient.Decode(await fixture.ClientTokenAsync(RbacTenant.Worker, RbacTenant.WorkerSecret, audience));

        Assert.Equal(permissions, at.ContainsKey("permissions"));
        if (permissions)
        {
            Assert.Equal(["read:orders", "write:orders"], TokenClient.Strings(at["permissions"]));
        }

        Assert.Equal(azp, at.ContainsKey("azp"));
        Assert.Equal(RbacTenant.Worker, (string?)at["client_id"]);
    }

    private async Task<JsonObject> LogInAsync(string email, string scope, string audience)
    {
        var flow = new CodeFlow { ClientId = RbacTenant.Spa, RedirectUri = RbacTenant.Callback, Scope = scope, Audience = audience };
        using var client = fixture.Server.CreateClient(new CookieContainer());
        var callback = await LoginDriver.AuthorizeAsync(fixture.Server, client, flow.AuthorizeUrl(), email, Password);
        var code = QueryHelpers.ParseQuery(callback.Query)["code"].ToString();
        Assert.False(string.IsNullOrEmpty(code), callback.Query);
        using var response = await flow.RedeemAsync(client, code);
        var body = await response.ReadJsonObjectAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return body;
    }

    private async Task<JsonObject> RefreshAsync(JsonObject tokens)
    {
        using var client = fixture.Server.CreateClient();
        using var response = await CodeFlow.RefreshAsync(client, RbacTenant.Spa, (string)tokens["refresh_token"]!);
        var body = await response.ReadJsonObjectAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return body;
    }

    private static JsonObject AccessToken(JsonObject tokens) => TokenClient.Decode((string)tokens["access_token"]!).Payload;

    private static string[] Scopes(JsonObject accessToken) =>
        [.. ((string?)accessToken["scope"] ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];
}
