using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Latchkey.Server.Hosting;
using Latchkey.Server.Login;
using Latchkey.Server.Persistence;
using Latchkey.Server.Sessions;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace Latchkey.Server.Tests.Management;

public sealed class UsersApiTests : IAsyncLifetime
{
    private const string ReadCurrentUser = "read:current_user";
    private const string UpdateMetadata = "update:current_user_metadata";
    private const string OtherUserMessage = "A current_user token can only access the user it was issued to.";
    private LatchkeyTestServer _server = null!;
    private string _alice = null!;
    private string _bob = null!;

    public async Task InitializeAsync()
    {
        _server = await LatchkeyTestServer.StartAsync(ManagementTenant.Json, "--Latchkey:Issuer", ManagementTenant.Issuer);
        _alice = await UserIdAsync(ManagementTenant.AliceEmail);
        _bob = await UserIdAsync(ManagementTenant.BobEmail);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Get_CurrentUserTokenForOwnId_ReturnsAuth0UserObject()
    {
        var token = ManagementTokens.Mint(_server, _alice, ReadCurrentUser);

        using var response = await SendAsync(HttpMethod.Get, $"api/v2/users/{Uri.EscapeDataString(_alice)}", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var user = await ReadAsync(response);
        Assert.Equal(_alice, (string?)user["user_id"]);
        Assert.Equal(ManagementTenant.AliceEmail, (string?)user["email"]);
        Assert.True((bool)user["email_verified"]!);
        Assert.Equal("Alice", (string?)user["name"]);
        Assert.Equal("alice", (string?)user["nickname"]);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", (string?)user["created_at"]);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", (string?)user["updated_at"]);
        var identity = Assert.Single(user["identities"]!.AsArray())!;
        Assert.Equal("latchkey", (string?)identity["provider"]);
        Assert.Equal(_alice.Split('|')[1], (string?)identity["user_id"]);
        Assert.Equal("Username-Password-Authentication", (string?)identity["connection"]);
        Assert.False((bool)identity["isSocial"]!);
        Assert.Equal("dark", (string?)user["user_metadata"]!["theme"]);
        Assert.Equal("gold", (string?)user["app_metadata"]!["plan"]);
        Assert.Equal(0, (int)user["logins_count"]!);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Get_IdWithRawOrEncodedPipe_FindsTheSameUser(bool encodePipe)
    {
        var token = ManagementTokens.Mint(_server, _alice, ReadCurrentUser);
        var path = "api/v2/users/" + (encodePipe ? _alice.Replace("|", "%7C", StringComparison.Ordinal) : _alice);

        using var response = await SendAsync(HttpMethod.Get, path, token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(_alice, (string?)(await ReadAsync(response))["user_id"]);
    }

    [Fact]
    public async Task Get_CurrentUserTokenForAnotherId_Returns403InAuth0Shape()
    {
        var token = ManagementTokens.Mint(_server, _alice, ReadCurrentUser);

        using var response = await SendAsync(HttpMethod.Get, $"api/v2/users/{Uri.EscapeDataString(_bob)}", token);

        var error = await AssertErrorAsync(response, 403, "Forbidden", "insufficient_scope");
        Assert.Equal(OtherUserMessage, (string?)error["message"]);
        Assert.Contains("error=\"insufficient_scope\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("bob's", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_ApplicationTokenWithCurrentUserScope_Returns403EvenForTheIdInItsSub()
    {
        // A current-user scope is a user's: an application's token (gty client-credentials) holding one is not that
        // user, whatever its sub says.
        var token = ManagementTokens.Mint(_server, _alice, ReadCurrentUser, client: true);

        using var response = await SendAsync(HttpMethod.Get, $"api/v2/users/{Uri.EscapeDataString(_alice)}", token);

        var error = await AssertErrorAsync(response, 403, "Forbidden", "insufficient_scope");
        Assert.Equal(OtherUserMessage, (string?)error["message"]);
    }

    [Fact]
    public async Task Get_TokenWithoutUserScopes_Returns403InsufficientScope()
    {
        var token = await ManagementTokens.ClientCredentialsAsync(_server, ManagementTenant.ReaderClient, ManagementTenant.ReaderSecret);

        using var response = await SendAsync(HttpMethod.Get, $"api/v2/users/{Uri.EscapeDataString(_alice)}", token);

        var error = await AssertErrorAsync(response, 403, "Forbidden", "insufficient_scope");
        Assert.Equal("Insufficient scope, expected any of: read:users,read:current_user", (string?)error["message"]);
        Assert.Contains("scope=\"read:users read:current_user\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_ClientCredentialsWithReadUsers_ReadsAnyUserAnd404ForUnknown()
    {
        var token = await ManagementTokens.ClientCredentialsAsync(_server, ManagementTenant.AdminClient, ManagementTenant.AdminSecret);

        using var bob = await SendAsync(HttpMethod.Get, $"api/v2/users/{Uri.EscapeDataString(_bob)}", token);
        using var unknown = await SendAsync(HttpMethod.Get, "api/v2/users/latchkey%7C000000000000000000000000", token);

        Assert.Equal(HttpStatusCode.OK, bob.StatusCode);
        Assert.Equal("bob's", (string?)(await ReadAsync(bob))["user_metadata"]!["secret"]);
        var error = await AssertErrorAsync(unknown, 404, "Not Found", "inexistent_user");
        Assert.Equal("The user does not exist.", (string?)error["message"]);
    }

    [Fact]
    public async Task Get_NoToken_Returns401MissingAuthenticationWithChallenge()
    {
        using var response = await SendAsync(HttpMethod.Get, $"api/v2/users/{Uri.EscapeDataString(_alice)}", null);

        var error = await AssertErrorAsync(response, 401, "Unauthorized", null);
        Assert.Equal("Missing authentication", (string?)error["message"]);
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Basic YWxpY2U6cHc=")]
    [InlineData("Bearer")]
    [InlineData("Bearer a b")]
    public async Task Get_MalformedAuthorizationHeader_Returns400(string header)
    {
        using var client = _server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v2/users/{Uri.EscapeDataString(_alice)}");
        request.Headers.TryAddWithoutValidation("Authorization", header);

        using var response = await client.SendAsync(request);

        var error = await AssertErrorAsync(response, 400, "Bad Request", "Bearer");
        Assert.Equal("Bad HTTP authentication header format", (string?)error["message"]);
    }

    public static TheoryData<string> BadTokens => new() { "garbage", "wrong-audience", "wrong-issuer", "expired", "other-key", "id-token-type" };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Get_InvalidToken_Returns401InvalidToken(string kind)
    {
        using var otherKey = RSA.Create(2048);
        var token = kind switch
        {
            "garbage" => "not.a.jwt",
            "wrong-audience" => ManagementTokens.Mint(_server, _alice, ReadCurrentUser, audience: "https://quickstarts/api"),
            "wrong-issuer" => ManagementTokens.Mint(_server, _alice, ReadCurrentUser, issuer: "http://evil.test/"),
            "expired" => ManagementTokens.Mint(_server, _alice, ReadCurrentUser, lifetime: TimeSpan.FromMinutes(-10)),
            "other-key" => ManagementTokens.Mint(_server, _alice, ReadCurrentUser, key: new RsaSecurityKey(otherKey) { KeyId = "attacker" }),
            _ => ManagementTokens.Mint(_server, _alice, ReadCurrentUser, type: "JWT"),
        };

        using var response = await SendAsync(HttpMethod.Get, $"api/v2/users/{Uri.EscapeDataString(_alice)}", token);

        var error = await AssertErrorAsync(response, 401, "Unauthorized", null);
        Assert.Equal("Invalid token", (string?)error["message"]);
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_SessionCookieWithoutToken_IsNotAccepted()
    {
        var cookies = new CookieContainer();
        using var client = _server.CreateClient(cookies);
        (await LoginDriver.LogInAsync(client, ManagementTenant.AliceEmail, ManagementTenant.AlicePassword)).Dispose();

        using var response = await client.GetAsync(new Uri($"api/v2/users/{Uri.EscapeDataString(_alice)}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Patch_UserMetadata_MergesTopLevelDeletesNullsReplacesNestedAndPersists()
    {
        var token = ManagementTokens.Mint(_server, _alice, $"{ReadCurrentUser} {UpdateMetadata}");
        var path = $"api/v2/users/{Uri.EscapeDataString(_alice)}";

        using var first = await SendAsync(HttpMethod.Patch, path, token, """{ "user_metadata": { "prefs": { "a": 1, "b": 2 }, "keep": 1 } }""");
        using var second = await SendAsync(HttpMethod.Patch, path, token, """{ "user_metadata": { "theme": "light", "prefs": { "a": 3 }, "keep": null } }""");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("""{"theme":"dark","prefs":{"a":1,"b":2},"keep":1}""", (await ReadAsync(first))["user_metadata"]!.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var expected = """{"theme":"light","prefs":{"a":3}}""";
        Assert.Equal(expected, (await ReadAsync(second))["user_metadata"]!.ToJsonString());
        using var reread = await SendAsync(HttpMethod.Get, path, token);
        Assert.Equal(expected, (await ReadAsync(reread))["user_metadata"]!.ToJsonString());
        Assert.Equal("gold", (string?)(await ReadAsync(reread))["app_metadata"]!["plan"]);
    }

    [Fact]
    public async Task Patch_EmptyUserMetadata_ClearsIt()
    {
        var token = ManagementTokens.Mint(_server, _alice, "create:current_user_metadata");

        using var response = await SendAsync(HttpMethod.Patch, $"api/v2/users/{Uri.EscapeDataString(_alice)}", token, """{ "user_metadata": {} }""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{}", (await ReadAsync(response))["user_metadata"]!.ToJsonString());
        Assert.Equal("{}", await QueryAsync(db => db.Set<User>().Where(u => u.UserId == _alice).Select(u => u.UserMetadata).SingleAsync()));
    }

    [Theory]
    [InlineData("""{ "app_metadata": { "plan": "free" } }""")]
    [InlineData("""{ "email": "mallory@example.com" }""")]
    [InlineData("""{ "password": "a brand new password" }""")]
    [InlineData("""{ "user_metadata": { "theme": "x" }, "blocked": false }""")]
    public async Task Patch_CurrentUserTokenBeyondUserMetadata_Returns403AndChangesNothing(string body)
    {
        var token = ManagementTokens.Mint(_server, _alice, $"{ReadCurrentUser} {UpdateMetadata}");
        var before = await QueryAsync(db => db.Set<User>().AsNoTracking().SingleAsync(u => u.UserId == _alice));

        using var response = await SendAsync(HttpMethod.Patch, $"api/v2/users/{Uri.EscapeDataString(_alice)}", token, body);

        var error = await AssertErrorAsync(response, 403, "Forbidden", "insufficient_scope");
        Assert.Equal("Insufficient scope, expected any of: update:users", (string?)error["message"]);
        var after = await QueryAsync(db => db.Set<User>().AsNoTracking().SingleAsync(u => u.UserId == _alice));
        Assert.Equal((before.Email, before.AppMetadata, before.UserMetadata, before.PasswordHash, before.UpdatedAt), (after.Email, after.AppMetadata, after.UserMetadata, after.PasswordHash, after.UpdatedAt));
    }

    [Fact]
    public async Task Patch_CurrentUserTokenOnAnotherUser_Returns403()
    {
        var token = ManagementTokens.Mint(_server, _alice, UpdateMetadata);

        using var response = await SendAsync(HttpMethod.Patch, $"api/v2/users/{Uri.EscapeDataString(_bob)}", token, """{ "user_metadata": { "secret": "mine now" } }""");

        await AssertErrorAsync(response, 403, "Forbidden", "insufficient_scope");
        var stored = await QueryAsync(db => db.Set<User>().Where(u => u.UserId == _bob).Select(u => u.UserMetadata).SingleAsync());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"secret":"bob's"}"""), JsonNode.Parse(stored)), stored);
    }

    [Fact]
    public async Task Patch_ReadOnlyToken_Returns403()
    {
        var token = ManagementTokens.Mint(_server, _alice, ReadCurrentUser);

        using var response = await SendAsync(HttpMethod.Patch, $"api/v2/users/{Uri.EscapeDataString(_alice)}", token, """{ "user_metadata": { "x": 1 } }""");

        var error = await AssertErrorAsync(response, 403, "Forbidden", "insufficient_scope");
        Assert.Equal("Insufficient scope, expected any of: update:users,update:current_user_metadata,create:current_user_metadata", (string?)error["message"]);
    }

    [Theory]
    [InlineData("{ \"user_metadata\": ", 400, "Invalid request payload JSON format")]
    [InlineData("[1, 2]", 400, "Payload validation error: 'Expected type object but found type array'.")]
    [InlineData("{ \"user_metadata\": \"dark\" }", 400, "Payload validation error: 'Expected type object but found type string' on property user_metadata.")]
    [InlineData("{ \"user_metadata\": null }", 400, "Payload validation error: 'Expected type object but found type null' on property user_metadata.")]
    public async Task Patch_BadBody_Returns400WithAuth0Message(string body, int status, string message)
    {
        var token = ManagementTokens.Mint(_server, _alice, UpdateMetadata);

        using var response = await SendAsync(HttpMethod.Patch, $"api/v2/users/{Uri.EscapeDataString(_alice)}", token, body);

        var error = await AssertErrorAsync(response, status, "Bad Request", "invalid_body");
        Assert.Equal(message, (string?)error["message"]);
    }

    [Fact]
    public async Task Patch_WrongContentTypeOrHugeBody_Returns415Or413()
    {
        var token = ManagementTokens.Mint(_server, _alice, UpdateMetadata);
        using var client = _server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var path = new Uri($"api/v2/users/{Uri.EscapeDataString(_alice)}", UriKind.Relative);

        using var form = await client.PatchAsync(path, new StringContent("user_metadata=x", Encoding.UTF8, "application/x-www-form-urlencoded"));
        using var huge = await client.PatchAsync(path, new StringContent($$"""{ "user_metadata": { "x": "{{new string('a', 70_000)}}" } }""", Encoding.UTF8, "application/json"));
        using var bigMetadata = await client.PatchAsync(path, new StringContent($$"""{ "user_metadata": { "x": "{{new string('a', 20_000)}}" } }""", Encoding.UTF8, "application/json"));

        await AssertErrorAsync(form, 415, "Unsupported Media Type", null);
        await AssertErrorAsync(huge, 413, "Request Entity Too Large", null);
        await AssertErrorAsync(bigMetadata, 400, "Bad Request", "invalid_body");
    }

    [Fact]
    public async Task Patch_AdminToken_UpdatesAppMetadataNameAndBlocked()
    {
        var token = await ManagementTokens.ClientCredentialsAsync(_server, ManagementTenant.AdminClient, ManagementTenant.AdminSecret);

        using var response = await SendAsync(HttpMethod.Patch, $"api/v2/users/{Uri.EscapeDataString(_bob)}", token,
            """{ "app_metadata": { "plan": "silver" }, "name": "Robert", "blocked": true, "user_metadata": { "secret": null } }""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var user = await ReadAsync(response);
        Assert.Equal("""{"plan":"silver"}""", user["app_metadata"]!.ToJsonString());
        Assert.Equal("{}", user["user_metadata"]!.ToJsonString());
        Assert.Equal("Robert", (string?)user["name"]);
        Assert.True((bool)user["blocked"]!);
        using var client = _server.CreateClient(new CookieContainer());
        using var login = await LoginDriver.LogInAsync(client, ManagementTenant.BobEmail, "bob-password-1");
        Assert.Equal(HttpStatusCode.Forbidden, login.StatusCode);
    }

    [Fact]
    public async Task Patch_BlankNameAndNickname_ReadBackWithTheDefaultsTokensUse()
    {
        var token = await ManagementTokens.ClientCredentialsAsync(_server, ManagementTenant.AdminClient, ManagementTenant.AdminSecret);

        using var response = await SendAsync(HttpMethod.Patch, $"api/v2/users/{Uri.EscapeDataString(_bob)}", token, """{ "name": " ", "nickname": " " }""");

        // One profile projection (Users/UserProfile) for the ID token, /userinfo and this API: blank means "not set".
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var user = await ReadAsync(response);
        Assert.Equal(ManagementTenant.BobEmail, (string?)user["name"]);
        Assert.Equal(ManagementTenant.BobEmail.Split('@')[0], (string?)user["nickname"]);
    }

    [Fact]
    public async Task Patch_AdminTokenEmailTakenByAnotherUser_Returns409()
    {
        var token = await ManagementTokens.ClientCredentialsAsync(_server, ManagementTenant.AdminClient, ManagementTenant.AdminSecret);

        using var response = await SendAsync(HttpMethod.Patch, $"api/v2/users/{Uri.EscapeDataString(_bob)}", token, """{ "email": "ALICE@example.com" }""");

        await AssertErrorAsync(response, 409, "Conflict", "email_conflicts");
    }

    [Fact]
    public async Task UserBlocks_AdminToken_ListsAndLiftsTheBruteForceBlock()
    {
        using var browser = _server.CreateClient(new CookieContainer());
        for (var i = 0; i < new LoginOptions().MaxFailedAttempts; i++)
        {
            (await LoginDriver.LogInAsync(browser, ManagementTenant.AliceEmail, "wrong-password")).Dispose();
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await LoginDriver.LogInAsync(browser, ManagementTenant.AliceEmail, ManagementTenant.AlicePassword)).StatusCode);
        var token = await ManagementTokens.ClientCredentialsAsync(_server, ManagementTenant.AdminClient, ManagementTenant.AdminSecret);
        var path = $"api/v2/user-blocks/{Uri.EscapeDataString(_alice)}";

        using var listed = await SendAsync(HttpMethod.Get, path, token);
        using var deleted = await SendAsync(HttpMethod.Delete, path, token);
        using var after = await SendAsync(HttpMethod.Get, path, token);
        using var login = await LoginDriver.LogInAsync(browser, ManagementTenant.AliceEmail, ManagementTenant.AlicePassword);

        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        var block = Assert.Single((await ReadAsync(listed))["blocked_for"]!.AsArray())!;
        Assert.Equal(ManagementTenant.AliceEmail, (string?)block["identifier"]);
        Assert.Equal("127.0.0.1", (string?)block["ip"]);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty((await ReadAsync(after))["blocked_for"]!.AsArray());
        Assert.Equal(HttpStatusCode.SeeOther, login.StatusCode);
    }

    [Fact]
    public async Task UserBlocks_CurrentUserToken_CannotLiftBlocks()
    {
        var token = ManagementTokens.Mint(_server, _alice, $"{ReadCurrentUser} {UpdateMetadata}");

        using var response = await SendAsync(HttpMethod.Delete, $"api/v2/user-blocks/{Uri.EscapeDataString(_alice)}", token);

        await AssertErrorAsync(response, 403, "Forbidden", "insufficient_scope");
    }

    [Fact]
    public async Task Patch_AdminSetsPassword_LiftsBruteForceBlock()
    {
        await using (var scope = _server.Services.CreateAsyncScope())
        {
            var authenticator = scope.ServiceProvider.GetRequiredService<PasswordAuthenticator>();
            for (var i = 0; i < new LoginOptions().MaxFailedAttempts; i++)
            {
                await authenticator.AuthenticateAsync(ManagementTenant.AliceEmail, "wrong-password", "127.0.0.1");
            }
        }

        var token = await ManagementTokens.ClientCredentialsAsync(_server, ManagementTenant.AdminClient, ManagementTenant.AdminSecret);
        using var patched = await SendAsync(HttpMethod.Patch, $"api/v2/users/{Uri.EscapeDataString(_alice)}", token, """{ "password": "reset by the admin 1" }""");
        using var client = _server.CreateClient(new CookieContainer());
        using var login = await LoginDriver.LogInAsync(client, ManagementTenant.AliceEmail, "reset by the admin 1");

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, login.StatusCode);
    }

    [Fact]
    public async Task DeleteSessions_AdminToken_EndsTheUsersLoginSessions()
    {
        var cookies = new CookieContainer();
        using var browser = _server.CreateClient(cookies);
        (await LoginDriver.LogInAsync(browser, ManagementTenant.AliceEmail, ManagementTenant.AlicePassword)).Dispose();
        var token = await ManagementTokens.ClientCredentialsAsync(_server, ManagementTenant.AdminClient, ManagementTenant.AdminSecret);
        Assert.Equal(1, await QueryAsync(db => db.Set<LoginSession>().CountAsync(s => s.UserId == _alice)));

        using var response = await SendAsync(HttpMethod.Delete, $"api/v2/users/{Uri.EscapeDataString(_alice)}/sessions", token);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(0, await QueryAsync(db => db.Set<LoginSession>().CountAsync(s => s.UserId == _alice)));
    }

    [Fact]
    public async Task Patch_AdminBlocksUser_EndsTheirSessions()
    {
        using var browser = _server.CreateClient(new CookieContainer());
        (await LoginDriver.LogInAsync(browser, ManagementTenant.AliceEmail, ManagementTenant.AlicePassword)).Dispose();
        var token = await ManagementTokens.ClientCredentialsAsync(_server, ManagementTenant.AdminClient, ManagementTenant.AdminSecret);

        using var response = await SendAsync(HttpMethod.Patch, $"api/v2/users/{Uri.EscapeDataString(_alice)}", token, """{ "blocked": true }""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, await QueryAsync(db => db.Set<LoginSession>().CountAsync(s => s.UserId == _alice)));
    }

    [Fact]
    public async Task Cors_PreflightFromRegisteredOrigin_AllowsAuthorizationAndPatch()
    {
        using var client = _server.CreateClient();
        using var allowed = new HttpRequestMessage(HttpMethod.Options, $"api/v2/users/{Uri.EscapeDataString(_alice)}");
        allowed.Headers.Add("Origin", ManagementTenant.SpaOrigin);
        allowed.Headers.Add("Access-Control-Request-Method", "PATCH");
        allowed.Headers.Add("Access-Control-Request-Headers", "authorization,content-type,auth0-client");
        using var other = new HttpRequestMessage(HttpMethod.Options, $"api/v2/users/{Uri.EscapeDataString(_alice)}");
        other.Headers.Add("Origin", "http://evil.test");
        other.Headers.Add("Access-Control-Request-Method", "PATCH");

        using var allowedResponse = await client.SendAsync(allowed);
        using var otherResponse = await client.SendAsync(other);

        Assert.True(allowedResponse.IsSuccessStatusCode, allowedResponse.StatusCode.ToString());
        Assert.Equal(ManagementTenant.SpaOrigin, allowedResponse.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("PATCH", allowedResponse.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);
        Assert.Contains("authorization", allowedResponse.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.OrdinalIgnoreCase);
        Assert.False(otherResponse.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Get_TokenFromRealLoginWithManagementAudience_ReadsOwnProfile()
    {
        var token = await ManagementTokens.LogInAsync(_server, ManagementTenant.AliceEmail, ManagementTenant.AlicePassword, $"{ReadCurrentUser} {UpdateMetadata}");

        using var own = await SendAsync(HttpMethod.Get, $"api/v2/users/{Uri.EscapeDataString(_alice)}", token);
        using var patched = await SendAsync(HttpMethod.Patch, $"api/v2/users/{Uri.EscapeDataString(_alice)}", token, """{ "user_metadata": { "theme": "light" } }""");
        using var other = await SendAsync(HttpMethod.Get, $"api/v2/users/{Uri.EscapeDataString(_bob)}", token);

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(1, (int)(await ReadAsync(own))["logins_count"]!);
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal("light", (string?)(await ReadAsync(patched))["user_metadata"]!["theme"]);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, string? json = null)
    {
        using var client = _server.CreateClient();
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await client.SendAsync(request);
    }

    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    private static async Task<JsonObject> AssertErrorAsync(HttpResponseMessage response, int status, string error, string? errorCode)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
        var json = JsonNode.Parse(body)!.AsObject();
        Assert.Equal(status, (int)json["statusCode"]!);
        Assert.Equal(error, (string?)json["error"]);
        Assert.False(string.IsNullOrEmpty((string?)json["message"]));
        Assert.Equal(errorCode, (string?)json["errorCode"]);
        return json;
    }

    private async Task<string> UserIdAsync(string email) =>
        await QueryAsync(db => db.Set<User>().Where(u => u.Email == email).Select(u => u.UserId).SingleAsync());

    private async Task<T> QueryAsync<T>(Func<LatchkeyDbContext, Task<T>> query)
    {
        await using var scope = _server.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>());
    }
}
