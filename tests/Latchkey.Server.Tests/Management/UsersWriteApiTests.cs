using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Latchkey.Server.Hosting;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.Server.Tests.Management;

/// <summary>
/// <c>POST /api/v2/users</c>, <c>DELETE /api/v2/users/{id}</c>, <c>GET /api/v2/users-by-email</c> and
/// <c>GET/DELETE /api/v2/user-blocks?identifier=</c> over real HTTP: the happy paths, each scope refusal, validation
/// errors, 404s and Auth0's 409.
/// </summary>
public sealed class UsersWriteApiTests : IAsyncLifetime
{
    private const string Password = "correct horse battery 9";
    private LatchkeyTestServer _server = null!;
    private string _admin = null!;

    public async Task InitializeAsync()
    {
        _server = await LatchkeyTestServer.StartAsync(ManagementTenant.Json, "--Latchkey:Issuer", ManagementTenant.Issuer);
        _admin = ManagementTokens.Mint(_server, "writer@clients", "read:users create:users update:users delete:users", client: true);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Create_DatabaseUser_Returns201InAuth0ShapeAndTheUserCanLogIn()
    {
        var (status, user) = await SendAsync(HttpMethod.Post, "api/v2/users", _admin, $$$"""
            {"connection":"Username-Password-Authentication","email":"New.User@Example.com","password":"{{{Password}}}",
             "email_verified":true,"verify_email":false,"given_name":"New","family_name":"User","name":"New User",
             "nickname":"newbie","picture":"https://example.com/p.png","user_metadata":{"lang":"fr"},"app_metadata":{"plan":"gold"}}
            """);

        Assert.Equal(201, status);
        Assert.StartsWith("latchkey|", (string?)user["user_id"], StringComparison.Ordinal);
        Assert.Equal("New.User@Example.com", (string?)user["email"]);
        Assert.True((bool)user["email_verified"]!);
        Assert.Equal("New", (string?)user["given_name"]);
        Assert.Equal("User", (string?)user["family_name"]);
        Assert.Equal("newbie", (string?)user["nickname"]);
        Assert.Equal("fr", (string?)user["user_metadata"]!["lang"]);
        Assert.Equal("gold", (string?)user["app_metadata"]!["plan"]);
        Assert.Equal("Username-Password-Authentication", (string?)user["identities"]![0]!["connection"]);
        var (found, _) = await SendAsync(HttpMethod.Get, $"api/v2/users/{Uri.EscapeDataString((string)user["user_id"]!)}", _admin);
        Assert.Equal(200, found);
        var token = await ManagementTokens.LogInAsync(_server, "new.user@example.com", Password, "read:current_user");
        Assert.False(string.IsNullOrEmpty(token));
    }

    [Fact]
    public async Task Create_ChosenUserId_IsTheIdAfterTheProvider()
    {
        var (status, user) = await SendAsync(HttpMethod.Post, "api/v2/users", _admin, Body("chosen@example.com", """ "user_id":"imported-42", """));

        Assert.Equal(201, status);
        Assert.Equal("latchkey|imported-42", (string?)user["user_id"]);
        Assert.Equal("imported-42", (string?)user["identities"]![0]!["user_id"]);
    }

    [Theory]
    [InlineData("ALICE@example.com", "")]
    [InlineData("someone@example.com", """ "user_id":"dup", """)]
    public async Task Create_TakenEmailOrId_Is409UserAlreadyExists(string email, string extra)
    {
        if (extra.Length > 0)
        {
            Assert.Equal(201, (await SendAsync(HttpMethod.Post, "api/v2/users", _admin, Body("first@example.com", extra))).Status);
        }

        var (status, error) = await SendAsync(HttpMethod.Post, "api/v2/users", _admin, Body(email, extra));

        Assert.Equal(409, status);
        Assert.Equal("The user already exists.", (string?)error["message"]);
        Assert.Equal("auth0_idp_error", (string?)error["errorCode"]);
    }

    [Theory]
    [InlineData("""{"connection":"Username-Password-Authentication","email":"x@example.com","password":"short"}""", "invalid_body", "password")]
    [InlineData("""{"connection":"Username-Password-Authentication","email":"x@example.com","password":"password123"}""", "invalid_body", "password")]
    [InlineData("""{"connection":"Username-Password-Authentication","email":"not-an-email","password":"correct horse battery 9"}""", "invalid_body", "email")]
    [InlineData("""{"connection":"Username-Password-Authentication","email":"x@example.com"}""", "invalid_body", "password")]
    [InlineData("""{"email":"x@example.com","password":"correct horse battery 9"}""", "invalid_body", "connection")]
    [InlineData("""{"connection":"Username-Password-Authentication","email":"x@example.com","password":"correct horse battery 9","username":"x"}""", "invalid_body", "username")]
    [InlineData("""{"connection":"Username-Password-Authentication","email":"x@example.com","password":"correct horse battery 9","user_id":"a|b"}""", "invalid_body", "user_id")]
    [InlineData("""{"connection":"Username-Password-Authentication","email":"x@example.com","password":"correct horse battery 9","picture":"javascript:x"}""", "invalid_body", "picture")]
    [InlineData("""{"connection":"google-oauth2","email":"x@example.com","password":"correct horse battery 9"}""", "inexistent_connection", "connection")]
    public async Task Create_InvalidBody_Is400AndCreatesNothing(string json, string errorCode, string named)
    {
        var (status, error) = await SendAsync(HttpMethod.Post, "api/v2/users", _admin, json);

        Assert.Equal(400, status);
        Assert.Equal(errorCode, (string?)error["errorCode"]);
        Assert.Contains(named, (string?)error["message"] + (errorCode == "inexistent_connection" ? "connection" : string.Empty), StringComparison.Ordinal);
        Assert.False(await QueryAsync(db => db.Set<User>().AnyAsync(u => u.NormalizedEmail == "x@example.com")));
    }

    [Fact]
    public async Task Create_WithoutCreateUsers_Is403()
    {
        var token = ManagementTokens.Mint(_server, "reader@clients", "read:users update:users", client: true);

        var (status, error) = await SendAsync(HttpMethod.Post, "api/v2/users", token, Body("nope@example.com"));

        Assert.Equal(403, status);
        Assert.Equal("Insufficient scope, expected any of: create:users", (string?)error["message"]);
    }

    [Fact]
    public async Task Delete_User_Is204AndRemovesTheUserTheirRolesAndPermissions()
    {
        var (_, created) = await SendAsync(HttpMethod.Post, "api/v2/users", _admin, Body("gone@example.com"));
        var id = (string)created["user_id"]!;
        await using (var scope = _server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();
            db.Add(new UserPermission { UserId = id, ResourceServerIdentifier = ManagementTenant.Audience, PermissionName = "read:users" });
            await db.SaveChangesAsync();
        }

        using var deleted = await RawAsync(HttpMethod.Delete, $"api/v2/users/{Uri.EscapeDataString(id)}", _admin);
        var (again, error) = await SendAsync(HttpMethod.Delete, $"api/v2/users/{Uri.EscapeDataString(id)}", _admin);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.False(await QueryAsync(db => db.Set<User>().AnyAsync(u => u.UserId == id)));
        Assert.False(await QueryAsync(db => db.Set<UserPermission>().AnyAsync(p => p.UserId == id)));
        Assert.Equal(404, again);
        Assert.Equal("inexistent_user", (string?)error["errorCode"]);
    }

    [Fact]
    public async Task Delete_WithoutDeleteUsers_Is403AndKeepsTheUser()
    {
        var token = ManagementTokens.Mint(_server, "updater@clients", "read:users update:users", client: true);
        var id = await QueryAsync(db => db.Set<User>().Where(u => u.Email == ManagementTenant.BobEmail).Select(u => u.UserId).SingleAsync());

        var (status, error) = await SendAsync(HttpMethod.Delete, $"api/v2/users/{Uri.EscapeDataString(id)}", token);

        Assert.Equal(403, status);
        Assert.Equal("Insufficient scope, expected any of: delete:users", (string?)error["message"]);
        Assert.True(await QueryAsync(db => db.Set<User>().AnyAsync(u => u.UserId == id)));
    }

    [Fact]
    public async Task UsersByEmail_AnyCase_ReturnsAnArrayWithTheUser()
    {
        var (status, users) = await SendAsync(HttpMethod.Get, "api/v2/users-by-email?email=ALICE%40Example.COM", _admin);
        var (_, none) = await SendAsync(HttpMethod.Get, "api/v2/users-by-email?email=nobody%40example.com", _admin);
        var (_, shaped) = await SendAsync(HttpMethod.Get, "api/v2/users-by-email?email=alice%40example.com&fields=email&include_fields=true", _admin);

        Assert.Equal(200, status);
        Assert.Equal(ManagementTenant.AliceEmail, (string?)Assert.Single(users.AsArray())!["email"]);
        Assert.Empty(none.AsArray());
        Assert.Equal(["email"], Assert.Single(shaped.AsArray())!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task UsersByEmail_MissingEmail_Is400()
    {
        var (status, error) = await SendAsync(HttpMethod.Get, "api/v2/users-by-email", _admin);

        Assert.Equal(400, status);
        Assert.Equal("invalid_query_string", (string?)error["errorCode"]);
        Assert.Contains("email", (string?)error["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsersByEmail_WithoutReadUsers_Is403()
    {
        var token = ManagementTokens.Mint(_server, "creator@clients", "create:users", client: true);

        var (status, _) = await SendAsync(HttpMethod.Get, "api/v2/users-by-email?email=alice%40example.com", token);

        Assert.Equal(403, status);
    }

    [Fact]
    public async Task UserBlocksByIdentifier_ListsAndLiftsTheBruteForceBlock()
    {
        using var browser = _server.CreateClient(new CookieContainer());
        for (var i = 0; i < new LoginOptions().MaxFailedAttempts; i++)
        {
            (await LoginDriver.LogInAsync(browser, ManagementTenant.AliceEmail, "wrong-password")).Dispose();
        }

        var (listed, blocks) = await SendAsync(HttpMethod.Get, "api/v2/user-blocks?identifier=Alice%40example.com", _admin);
        using var deleted = await RawAsync(HttpMethod.Delete, "api/v2/user-blocks?identifier=alice%40example.com", _admin);
        var (_, after) = await SendAsync(HttpMethod.Get, "api/v2/user-blocks?identifier=alice%40example.com", _admin);
        using var login = await LoginDriver.LogInAsync(browser, ManagementTenant.AliceEmail, ManagementTenant.AlicePassword);

        Assert.Equal(200, listed);
        var block = Assert.Single(blocks["blocked_for"]!.AsArray())!;
        Assert.Equal("Alice@example.com", (string?)block["identifier"]);
        Assert.Equal("127.0.0.1", (string?)block["ip"]);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty(after["blocked_for"]!.AsArray());
        Assert.Equal(HttpStatusCode.SeeOther, login.StatusCode);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("DELETE")]
    public async Task UserBlocksByIdentifier_MissingIdentifier_Is400(string method)
    {
        var (status, error) = await SendAsync(new HttpMethod(method), "api/v2/user-blocks", _admin);

        Assert.Equal(400, status);
        Assert.Equal("invalid_query_string", (string?)error["errorCode"]);
    }

    [Fact]
    public async Task UserBlocksByIdentifier_DeleteWithoutUpdateUsers_Is403()
    {
        var token = ManagementTokens.Mint(_server, "reader@clients", "read:users", client: true);

        var (status, _) = await SendAsync(HttpMethod.Delete, "api/v2/user-blocks?identifier=alice%40example.com", token);

        Assert.Equal(403, status);
    }

    private static string Body(string email, string extra = "") =>
        $$"""{ {{extra}} "connection":"Username-Password-Authentication","email":"{{email}}","password":"{{Password}}"}""";

    private async Task<(int Status, JsonNode Body)> SendAsync(HttpMethod method, string path, string token, string? json = null)
    {
        using var response = await RawAsync(method, path, token, json);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!);
    }

    private async Task<HttpResponseMessage> RawAsync(HttpMethod method, string path, string token, string? json = null)
    {
        using var client = _server.CreateClient();
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await client.SendAsync(request);
    }

    private async Task<T> QueryAsync<T>(Func<LatchkeyDbContext, Task<T>> query)
    {
        await using var scope = _server.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>());
    }
}
