using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Latchkey.Server.Tenants;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Protocol;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Latchkey.Server.Tests.Dashboard;

/// <summary>
/// <c>GET /dashboard</c> over real HTTP: the page's own gate (login session, Management API permissions, CSP) and the
/// tokens the dashboard's built-in Application gets, whose scopes the Management API then enforces (docs/dashboard.md).
/// </summary>
public sealed class DashboardPageTests : IAsyncLifetime
{
    private const string Issuer = "http://issuer.latchkey.test/";
    private const string Audience = Issuer + "api/v2/";
    private const string Password = "dashboard-password-1";
    private const string Admin = "admin@example.com";
    private const string Reader = "reader@example.com";
    private const string Nobody = "nobody@example.com";
    private const string CurrentUserOnly = "self@example.com";

    private const string TenantJson = """
    {
      "resource_servers": [
        { "identifier": "https://orders.example.com", "name": "Orders API", "scopes": [ { "value": "read:orders" } ] }
      ],
      "roles": [
        { "name": "user-reader", "permissions": [ { "resource_server_identifier": "http://issuer.latchkey.test/api/v2/", "permission_name": "read:users" } ] },
        { "name": "clerk", "permissions": [ { "resource_server_identifier": "https://orders.example.com", "permission_name": "read:orders" } ] }
      ],
      "users": [
        { "email": "admin@example.com", "password": "dashboard-password-1", "roles": [ "Tenant Administrator" ] },
        { "email": "reader@example.com", "password": "dashboard-password-1", "roles": [ "user-reader" ] },
        { "email": "nobody@example.com", "password": "dashboard-password-1", "roles": [ "clerk" ] },
        { "email": "self@example.com", "password": "dashboard-password-1",
          "permissions": [ { "resource_server_identifier": "http://issuer.latchkey.test/api/v2/", "permission_name": "read:current_user" } ] }
      ]
    }
    """;

    private LatchkeyTestServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await LatchkeyTestServer.StartAsync(TenantJson, "--Latchkey:Issuer", Issuer);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Dashboard_NoSession_ServesTheShellUnderAStrictCsp()
    {
        using var client = _server.CreateClient();
        using var response = await client.GetAsync(new Uri("dashboard", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = string.Join(';', response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains($"content=\"{DashboardDefinition.ClientId}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Orders API", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Nobody)]
    [InlineData(CurrentUserOnly)]
    public async Task Dashboard_SessionWithoutManagementPermission_Returns403WithoutTenantData(string email)
    {
        using var client = await SignedInClientAsync(email);
        using var response = await client.GetAsync(new Uri("dashboard", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Not allowed", html, StringComparison.Ordinal);
        Assert.Contains(email, html, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", string.Join(';', response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        foreach (var tenantData in new[] { Admin, Reader, "Orders API", "orders.example.com", "clerk", "latchkey-scopes" })
        {
            Assert.DoesNotContain(tenantData, html, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(Admin)]
    [InlineData(Reader)]
    public async Task Dashboard_SessionWithManagementPermission_Returns200(string email)
    {
        using var client = await SignedInClientAsync(email);
        using var response = await client.GetAsync(new Uri("dashboard", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("/dashboard/assets/app.js", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DashboardToken_TenantAdministrator_CarriesEveryManagementPermission()
    {
        var scopes = Scopes(await DashboardTokenAsync(Admin));

        foreach (var scope in ManagementScopes.All.Where(s => !ManagementScopes.IsCurrentUserScope(s)))
        {
            Assert.Contains(scope, scopes);
        }
    }

    [Fact]
    public async Task DashboardToken_ReadOnlyAdministrator_ReadsButTheManagementApiRefusesItsWrites()
    {
        var token = await DashboardTokenAsync(Reader);
        var scopes = Scopes(token);
        Assert.Contains("read:users", scopes);
        Assert.DoesNotContain("update:users", scopes);
        Assert.DoesNotContain("create:resource_servers", scopes);

        using var client = _server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var userId = new JsonWebToken(token).Subject;
        var path = new Uri("api/v2/users/" + Uri.EscapeDataString(userId), UriKind.Relative);
        using var read = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        using var patch = await client.PatchAsync(path, new StringContent("""{"app_metadata":{"plan":"gold"}}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Forbidden, patch.StatusCode);
        using var create = await client.PostAsync(new Uri("api/v2/resource-servers", UriKind.Relative),
            new StringContent("""{"identifier":"https://x.example.com","name":"X"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
    }

    [Fact]
    public async Task DashboardToken_ManagementApi_LivesTenMinutes()
    {
        var token = new JsonWebToken(await DashboardTokenAsync(Admin));

        Assert.Equal(DashboardDefinition.ManagementTokenLifetime, token.ValidTo - token.IssuedAt);
        Assert.Equal(TimeSpan.FromMinutes(10), DashboardDefinition.ManagementTokenLifetime);
    }

    [Fact]
    public async Task Clients_DashboardApplication_IsNeitherListedNorAnswered()
    {
        using var client = _server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await DashboardTokenAsync(Admin));

        var list = await client.GetStringAsync(new Uri("api/v2/clients", UriKind.Relative));
        using var one = await client.GetAsync(new Uri("api/v2/clients/" + DashboardDefinition.ClientId, UriKind.Relative));
        using var delete = await client.DeleteAsync(new Uri("api/v2/clients/" + DashboardDefinition.ClientId, UriKind.Relative));

        Assert.DoesNotContain(DashboardDefinition.ClientId, list, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, one.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
    }

    [Fact]
    public async Task DashboardAssets_UnknownName_Returns404()
    {
        using var client = _server.CreateClient();
        using var known = await client.GetAsync(new Uri("dashboard/assets/auth0-spa-js.production.esm.js", UriKind.Relative));
        using var unknown = await client.GetAsync(new Uri("dashboard/assets/..%2Fappsettings.json", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        Assert.Equal("text/javascript", known.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private async Task<HttpClient> SignedInClientAsync(string email)
    {
        var client = _server.CreateClient(new CookieContainer());
        using var login = await LoginDriver.LogInAsync(client, email, Password, "/dashboard");
        Assert.True(login.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.SeeOther, login.StatusCode.ToString());
        return client;
    }

    /// <summary>What the dashboard's script does: the code flow with PKCE for its built-in Application, every scope asked.</summary>
    private async Task<string> DashboardTokenAsync(string email)
    {
        using var client = _server.CreateClient(new CookieContainer());
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var callback = Issuer + "dashboard";
        var authorize = QueryHelpers.AddQueryString("/authorize", new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = DashboardDefinition.ClientId,
            ["redirect_uri"] = callback,
            ["scope"] = "openid profile email " + string.Join(' ', ManagementScopes.All),
            ["audience"] = Audience,
            ["state"] = "s",
            ["code_challenge"] = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))),
            ["code_challenge_method"] = "S256",
        });
        var location = await LoginDriver.AuthorizeAsync(_server, client, authorize, email, Password);
        var code = QueryHelpers.ParseQuery(location.Query)["code"].ToString();
        using var response = await client.PostFormAsync("oauth/token",
            ("grant_type", "authorization_code"), ("client_id", DashboardDefinition.ClientId), ("code", code),
            ("redirect_uri", callback), ("code_verifier", verifier));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonNode.Parse(body)!["access_token"]!.GetValue<string>();
    }

    private static HashSet<string> Scopes(string token) =>
        new JsonWebToken(token).GetPayloadValue<string>("scope").Split(' ').ToHashSet(StringComparer.Ordinal);
}
