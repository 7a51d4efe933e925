using System.Net;
using System.Text.Json.Nodes;
using Latchkey.Server.Tenants;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Persistence;
using Latchkey.Server.Tests.Protocol;

namespace Latchkey.Server.Tests.Management;

/// <summary>
/// <c>/api/v2/connections</c> over real HTTP on SQLite and PostgreSQL: the database connection in Auth0's shape, its
/// filters and paging, and options that the next sign-up and login honour at once.
/// </summary>
public sealed class ConnectionsApiTests
{
    private const string Scopes = "read:connections update:connections create:connections delete:connections";

    [Theory]
    [MemberData(nameof(StorageServer.Providers), MemberType = typeof(StorageServer))]
    public async Task List_DatabaseConnection_IsAuth0ShapedAndFiltered(string provider)
    {
        await using var storage = await StartAsync(provider);
        var api = Api(storage.Server);

        var all = (await api.OkAsync("GET", "connections")).AsArray();
        var byName = (await api.OkAsync("GET", "connections?name=Username-Password-Authentication&strategy=auth0")).AsArray();
        var otherName = (await api.OkAsync("GET", "connections?name=google-oauth2")).AsArray();
        var otherStrategy = (await api.OkAsync("GET", "connections?strategy=google-oauth2&strategy=github")).AsArray();
        var totals = await api.OkAsync("GET", "connections?include_totals=true&per_page=1");
        var checkpoint = await api.OkAsync("GET", "connections?include_totals=true&take=50");
        var fields = Assert.Single((await api.OkAsync("GET", "connections?fields=id,strategy")).AsArray())!.AsObject();

        var connection = Assert.Single(all)!;
        Assert.Matches("^con_[A-Za-z0-9]{16}$", (string?)connection["id"]);
        Assert.Equal(("Username-Password-Authentication", "auth0"), ((string?)connection["name"], (string?)connection["strategy"]));
        Assert.Equal(["Username-Password-Authentication"], TokenClient.Strings(connection["realms"]));
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{ "disable_signup": false, "passwordPolicy": null, "password_complexity_options": { "min_length": 8 }, "brute_force_protection": true }"""),
            connection["options"]));
        Assert.Single(byName);
        Assert.Empty(otherName);
        Assert.Empty(otherStrategy);
        Assert.Equal((0, 1, 1, 1), ((int)totals["start"]!, (int)totals["limit"]!, (int)totals["length"]!, (int)totals["total"]!));
        Assert.Single(checkpoint["connections"]!.AsArray());
        Assert.Null(checkpoint["next"]);
        Assert.Equal(["id", "strategy"], fields.Select(p => p.Key).Order());
        Assert.True(JsonNode.DeepEquals(connection, await api.OkAsync("GET", $"connections/{connection["id"]}")));
    }

    [Fact]
    public async Task Get_UnknownIdOrWrongScope_Is404Or403()
    {
        await using var storage = await StartAsync(StorageServer.Sqlite);
        var api = Api(storage.Server);
        var id = (string)(await api.OkAsync("GET", "connections"))[0]!["id"]!;

        var missing = await api.ErrorAsync("GET", "connections/con_0000000000000000", null, 404, "inexistent_connection");
        var readOnly = await api.ErrorAsync("PATCH", $"connections/{id}", new { options = new { disable_signup = true } }, 403, "insufficient_scope",
            asToken: ManagementTokens.Mint(storage.Server, "reader@clients", "read:connections", client: true));
        var writeOnly = await api.ErrorAsync("GET", "connections", null, 403, "insufficient_scope",
            asToken: ManagementTokens.Mint(storage.Server, "writer@clients", "update:connections", client: true));

        Assert.Equal("The connection does not exist", missing);
        Assert.Equal("Insufficient scope, expected any of: update:connections", readOnly);
        Assert.Equal("Insufficient scope, expected any of: read:connections", writeOnly);
    }

    [Theory]
    [MemberData(nameof(StorageServer.Providers), MemberType = typeof(StorageServer))]
    public async Task Patch_DisableSignup_SignUpRefusedAtOnce(string provider)
    {
        await using var storage = await StartAsync(provider);
        var api = Api(storage.Server);
        var id = (string)(await api.OkAsync("GET", "connections"))[0]!["id"]!;
        using var browser = storage.Server.CreateClient(new CookieContainer());
        var antiforgery = await LoginDriver.GetAntiforgeryTokenAsync(browser, "/signup");

        var patched = await api.OkAsync("PATCH", $"connections/{id}", new { options = new { disable_signup = true } });
        using var signUp = await LoginDriver.PostSignUpAsync(browser, antiforgery, "newcomer@example.com", "a fine passphrase", "/");
        using var page = await browser.GetAsync(new Uri("/signup", UriKind.Relative));

        Assert.True((bool)patched["options"]!["disable_signup"]!);
        Assert.Equal(HttpStatusCode.Forbidden, signUp.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);

        await api.OkAsync("PATCH", $"connections/{id}", new { options = new { disable_signup = false } });
        using var again = await LoginDriver.PostSignUpAsync(browser, antiforgery, "newcomer@example.com", "a fine passphrase", "/");
        Assert.Equal(HttpStatusCode.SeeOther, again.StatusCode);
    }

    [Fact]
    public async Task Patch_DisableSignupThroughNodeA_NodeBRefusesSignUpWithinSeconds()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var nodeA = await LatchkeyTestServer.StartAsync(AdminTenant.Json, "--ConnectionStrings:Latchkey", database.ConnectionString, "--Latchkey:Issuer", ManagementTenant.Issuer);
        await using var nodeB = await LatchkeyTestServer.StartAsync(AdminTenant.Json, "--ConnectionStrings:Latchkey", database.ConnectionString, "--Latchkey:Issuer", ManagementTenant.Issuer);
        var api = Api(nodeA);
        var id = (string)(await api.OkAsync("GET", "connections"))[0]!["id"]!;
        using var browser = nodeB.CreateClient(new CookieContainer());
        var antiforgery = await LoginDriver.GetAntiforgeryTokenAsync(browser, "/signup");

        await api.OkAsync("PATCH", $"connections/{id}", new { options = new { disable_signup = true } });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var status = HttpStatusCode.OK;
        while (clock.Elapsed < TimeSpan.FromSeconds(15) && status != HttpStatusCode.Forbidden)
        {
            using var page = await browser.GetAsync(new Uri("/signup", UriKind.Relative));
            status = page.StatusCode;
            await Task.Delay(status == HttpStatusCode.Forbidden ? 0 : 25);
        }

        using var signUp = await LoginDriver.PostSignUpAsync(browser, antiforgery, "newcomer@example.com", "a fine passphrase", "/");

        // The tenant-version watcher polls twice a second; a loaded machine stretches that, hence the wide bound.
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"node B still offered sign-up after {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(HttpStatusCode.Forbidden, signUp.StatusCode);
    }

    [Theory]
    [MemberData(nameof(StorageServer.Providers), MemberType = typeof(StorageServer))]
    public async Task Patch_PasswordRules_NextSignUpAppliesThem(string provider)
    {
        await using var storage = await StartAsync(provider);
        var api = Api(storage.Server);
        var id = (string)(await api.OkAsync("GET", "connections"))[0]!["id"]!;

        var patched = await api.OkAsync("PATCH", $"connections/{id}", new { options = new { passwordPolicy = "fair", password_complexity_options = new { min_length = 12 } } });
        var tooShort = await SignUpAsync(storage.Server, "short@example.com", "Abcdefgh123");
        var noUpper = await SignUpAsync(storage.Server, "lower@example.com", "abcdefghij123");
        var fine = await SignUpAsync(storage.Server, "fine@example.com", "Abcdefghij123");

        Assert.Equal("fair", (string?)patched["options"]!["passwordPolicy"]);
        Assert.Equal(12, (int)patched["options"]!["password_complexity_options"]!["min_length"]!);
        Assert.Equal(HttpStatusCode.BadRequest, tooShort.Status);
        Assert.Contains("The password must be at least 12 characters.", tooShort.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noUpper.Status);
        Assert.Contains("The password must contain lower case letters, upper case letters and digits.", noUpper.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, fine.Status);
    }

    /// <summary>
    /// The connection's password rules hold for an administrator too, as in Auth0: <c>POST /users</c> and a password
    /// change through <c>PATCH /users/{id}</c> are refused below them, with the same sentence the sign-up page shows.
    /// </summary>
    [Fact]
    public async Task Patch_PasswordRules_UserCreationAndPasswordChangeThroughTheApiApplyThem()
    {
        await using var storage = await StartAsync(StorageServer.Sqlite);
        var api = new ConfigApi(storage.Server, ManagementTokens.Mint(storage.Server, "connections-admin@clients", Scopes + " create:users update:users", client: true));
        var id = (string)(await api.OkAsync("GET", "connections"))[0]!["id"]!;
        await api.OkAsync("PATCH", $"connections/{id}", new { options = new { passwordPolicy = "fair", password_complexity_options = new { min_length = 12 } } });

        var tooShort = await api.ErrorAsync("POST", "users", new { email = "short@example.com", password = "Abcdefgh123", connection = Connection.DefaultName }, 400, "invalid_body");
        var created = await api.OkAsync("POST", "users", new { email = "fine@example.com", password = "Abcdefghij123", connection = Connection.DefaultName }, status: 201);
        var userId = (string)created["user_id"]!;
        var noUpper = await api.ErrorAsync("PATCH", $"users/{Uri.EscapeDataString(userId)}", new { password = "abcdefghij1234" }, 400, "invalid_body");
        await api.OkAsync("PATCH", $"users/{Uri.EscapeDataString(userId)}", new { password = "Abcdefghij1234" });

        Assert.Contains("the password must be at least 12 characters", tooShort, StringComparison.Ordinal);
        Assert.Contains("the password must contain lower case letters, upper case letters and digits", noUpper, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_OptionsLeftOut_ReturnToDefaultsAsInAuth0()
    {
        await using var storage = await StartAsync(StorageServer.Sqlite);
        var api = Api(storage.Server);
        var id = (string)(await api.OkAsync("GET", "connections"))[0]!["id"]!;
        await api.OkAsync("PATCH", $"connections/{id}", new { options = new { disable_signup = true, passwordPolicy = "good", password_complexity_options = new { min_length = 10 }, brute_force_protection = false } });

        var replaced = await api.OkAsync("PATCH", $"connections/{id}", new { options = new { passwordPolicy = "excellent" } });
        var unchanged = await api.OkAsync("PATCH", $"connections/{id}", new { });

        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{ "disable_signup": false, "passwordPolicy": "excellent", "password_complexity_options": { "min_length": 8 }, "brute_force_protection": true }"""),
            replaced["options"]));
        Assert.True(JsonNode.DeepEquals(replaced, unchanged));
    }

    [Theory]
    [InlineData("""{ "options": { "disable_signup": true, "requires_username": true } }""", "Payload validation error: 'Additional properties not allowed: requires_username' on property options.")]
    [InlineData("""{ "options": { "password_complexity_options": { "min_length": 8, "max_length": 20 } } }""", "Payload validation error: 'Additional properties not allowed: max_length' on property options.password_complexity_options.")]
    [InlineData("""{ "display_name": "Users" }""", "Payload validation error: 'Additional properties not allowed: display_name'.")]
    [InlineData("""{ "options": { "passwordPolicy": "strong" } }""", "Payload validation error: 'No enum match for: \"strong\"' on property options.passwordPolicy.")]
    [InlineData("""{ "options": { "password_complexity_options": { "min_length": 6 } } }""", "Payload validation error: 'Value 6 is less than minimum 8' on property options.password_complexity_options.min_length.")]
    [InlineData("""{ "options": { "password_complexity_options": { "min_length": 129 } } }""", "Payload validation error: 'Value 129 is greater than maximum 128' on property options.password_complexity_options.min_length.")]
    [InlineData("""{ "options": { "disable_signup": "yes" } }""", "Payload validation error: 'Expected type boolean but found type string' on property options.disable_signup.")]
    public async Task Patch_OptionLatchkeyDoesNotHonour_Is400AndChangesNothing(string body, string message)
    {
        await using var storage = await StartAsync(StorageServer.Sqlite);
        var api = Api(storage.Server);
        var before = (await api.OkAsync("GET", "connections"))[0]!;

        Assert.Equal(message, await api.ErrorAsync("PATCH", $"connections/{before["id"]}", body, 400, "invalid_body"));
        Assert.True(JsonNode.DeepEquals(before, await api.OkAsync("GET", $"connections/{before["id"]}")));
    }

    [Fact]
    public async Task CreateOrDelete_OneDatabaseConnection_Is403OperationNotSupported()
    {
        await using var storage = await StartAsync(StorageServer.Sqlite);
        var api = Api(storage.Server);
        var id = (string)(await api.OkAsync("GET", "connections"))[0]!["id"]!;

        var create = await api.ErrorAsync("POST", "connections", new { name = "google-oauth2", strategy = "google-oauth2" }, 403, "operation_not_supported");
        var delete = await api.ErrorAsync("DELETE", $"connections/{id}", null, 403, "operation_not_supported");
        await api.ErrorAsync("DELETE", "connections/con_0000000000000000", null, 404, "inexistent_connection");
        var malformed = await api.ErrorAsync("POST", "connections", new { strategy = "auth0" }, 400, "invalid_body");

        Assert.Equal(create, delete);
        Assert.Contains("one connection", create, StringComparison.Ordinal);
        Assert.Equal("Payload validation error: 'Missing required property: name'.", malformed);
        Assert.Single((await api.OkAsync("GET", "connections")).AsArray());
    }

    [Fact]
    public async Task Patch_BruteForceProtectionOff_NoUserIpBlock()
    {
        await using var storage = await StorageServer.StartAsync(StorageServer.Sqlite, AdminTenant.Json, "--Latchkey:Issuer", ManagementTenant.Issuer, "--Latchkey:Login:MaxFailedAttempts", "2");
        var api = Api(storage.Server);
        var id = (string)(await api.OkAsync("GET", "connections"))[0]!["id"]!;
        using var browser = storage.Server.CreateClient(new CookieContainer());

        await api.OkAsync("PATCH", $"connections/{id}", new { options = new { brute_force_protection = false } });
        for (var i = 0; i < 3; i++)
        {
            using var wrong = await LoginDriver.LogInAsync(browser, ProtocolTenant.UserEmail, "not the password");
        }

        using var right = await LoginDriver.LogInAsync(browser, ProtocolTenant.UserEmail, ProtocolTenant.UserPassword);
        await api.OkAsync("PATCH", $"connections/{id}", new { options = new { brute_force_protection = true } });
        for (var i = 0; i < 3; i++)
        {
            using var wrong = await LoginDriver.LogInAsync(browser, ProtocolTenant.UserEmail, "not the password");
        }

        using var blocked = await LoginDriver.LogInAsync(browser, ProtocolTenant.UserEmail, ProtocolTenant.UserPassword);

        Assert.Equal(HttpStatusCode.SeeOther, right.StatusCode);
        Assert.NotEqual(HttpStatusCode.SeeOther, blocked.StatusCode);
    }

    private static Task<StorageServer> StartAsync(string provider) =>
        StorageServer.StartAsync(provider, AdminTenant.Json, "--Latchkey:Issuer", ManagementTenant.Issuer);

    private static ConfigApi Api(LatchkeyTestServer server) =>
        new(server, ManagementTokens.Mint(server, "connections-admin@clients", Scopes, client: true));

    private static async Task<(HttpStatusCode Status, string Html)> SignUpAsync(LatchkeyTestServer server, string email, string password)
    {
        using var browser = server.CreateClient(new CookieContainer());
        var antiforgery = await LoginDriver.GetAntiforgeryTokenAsync(browser, "/signup");
        using var response = await LoginDriver.PostSignUpAsync(browser, antiforgery, email, password, "/");
        return (response.StatusCode, System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }
}
