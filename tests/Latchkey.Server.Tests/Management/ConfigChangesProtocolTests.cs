using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tenants;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Protocol;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.EntityFrameworkCore.Models;

namespace Latchkey.Server.Tests.Management;

/// <summary>
/// A tenant change made through <c>/api/v2</c> is what the protocol does on the very next request, no restart and no
/// wait: new APIs, clients and grants issue tokens, removed grants stop them, a rotated secret retires the old one,
/// callbacks decide redirects, lifetimes apply, and a deleted client's refresh tokens are dead for good.
/// </summary>
public sealed class ConfigChangesProtocolTests : IAsyncLifetime
{
    private LatchkeyTestServer _server = null!;
    private ConfigApi _api = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await ConfigTenant.StartAsync();
        _api = new ConfigApi(_server, ConfigTenant.Token(_server));
        _http = _server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task NewApiClientAndGrant_ClientCredentials_WorksOnTheNextRequestAndStopsWhenTheGrantGoes()
    {
        await _api.OkAsync("POST", "resource-servers", new { identifier = "https://reports.example.com/", scopes = new[] { new { value = "read:reports" }, new { value = "export:reports" } } }, 201);
        var client = await _api.OkAsync("POST", "clients", new { name = "Reporter", app_type = "non_interactive" }, 201);
        var (clientId, secret) = ((string)client["client_id"]!, (string)client["client_secret"]!);
        using var ungranted = await _http.ClientCredentialsAsync(clientId, secret, "https://reports.example.com/");
        var grant = await _api.OkAsync("POST", "client-grants", new { client_id = clientId, audience = "https://reports.example.com/", scope = new[] { "read:reports" } }, 201);

        using var granted = await _http.ClientCredentialsAsync(clientId, secret, "https://reports.example.com/");
        var grantedBody = await granted.ReadJsonObjectAsync();
        await _api.OkAsync("PATCH", $"client-grants/{grant["id"]}", new { scope = new[] { "read:reports", "export:reports" } });
        await _api.OkAsync("PATCH", $"resource-servers/{Uri.EscapeDataString("https://reports.example.com/")}", new { token_lifetime = 600 });
        using var widened = await _http.ClientCredentialsAsync(clientId, secret, "https://reports.example.com/");
        var widenedBody = await widened.ReadJsonObjectAsync();
        Assert.Equal(204, (await _api.SendAsync("DELETE", $"client-grants/{grant["id"]}")).Status);
        using var revoked = await _http.ClientCredentialsAsync(clientId, secret, "https://reports.example.com/");

        Assert.Equal(HttpStatusCode.Forbidden, ungranted.StatusCode);
        Assert.Equal("access_denied", (string?)(await ungranted.ReadJsonObjectAsync())["error"]);
        Assert.Equal(HttpStatusCode.OK, granted.StatusCode);
        var payload = TokenClient.Decode((string)grantedBody["access_token"]!).Payload;
        Assert.Equal("https://reports.example.com/", (string?)payload["aud"]);
        Assert.Equal("read:reports", (string?)payload["scope"]);
        Assert.Equal($"{clientId}@clients", (string?)payload["sub"]);
        Assert.InRange((int)grantedBody["expires_in"]!, 86390, 86400);
        Assert.Equal("read:reports export:reports", (string?)TokenClient.Decode((string)widenedBody["access_token"]!).Payload["scope"]);
        Assert.InRange((int)widenedBody["expires_in"]!, 590, 600);
        Assert.Equal(HttpStatusCode.Forbidden, revoked.StatusCode);
    }

    [Fact]
    public async Task RotateSecret_OldSecretIsInvalidClientAndNewOneWorks()
    {
        using var before = await _http.ClientCredentialsAsync(ConfigTenant.WorkerClient, ConfigTenant.WorkerSecret, ConfigTenant.OrdersApi);
        var rotated = await _api.OkAsync("POST", $"clients/{ConfigTenant.WorkerClient}/rotate-secret");
        var secret = (string)rotated["client_secret"]!;

        using var old = await _http.ClientCredentialsAsync(ConfigTenant.WorkerClient, ConfigTenant.WorkerSecret, ConfigTenant.OrdersApi);
        using var fresh = await _http.ClientCredentialsAsync(ConfigTenant.WorkerClient, secret, ConfigTenant.OrdersApi);
        using var basic = new HttpRequestMessage(HttpMethod.Post, "oauth/token")
        {
            Content = new FormUrlEncodedContent([KeyValuePair.Create("grant_type", "client_credentials"), KeyValuePair.Create("audience", ConfigTenant.OrdersApi)]),
        };
        basic.Headers.Authorization = TokenClient.Basic(ConfigTenant.WorkerClient, secret);
        using var freshBasic = await _http.SendAsync(basic);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode); // RFC 6749 §5.2
        Assert.Equal("invalid_client", (string?)(await old.ReadJsonObjectAsync())["error"]);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal(HttpStatusCode.OK, freshBasic.StatusCode);
        Assert.Equal(ConfigTenant.WorkerClient, (string?)rotated["client_id"]);
    }

    [Fact]
    public async Task ChangedCallbacks_AuthorizeRedirectUriMatchingFollowsAtOnce()
    {
        const string next = "http://localhost:3000/next";
        using var unknownBefore = await _http.GetAsync(Authorize(next));
        using var knownBefore = await _http.GetAsync(Authorize(ConfigTenant.SpaCallback));

        await _api.OkAsync("PATCH", $"clients/{ConfigTenant.SpaClient}", new { callbacks = new[] { next } });
        using var added = await _http.GetAsync(Authorize(next));
        using var removed = await _http.GetAsync(Authorize(ConfigTenant.SpaCallback));

        Assert.Equal(HttpStatusCode.BadRequest, unknownBefore.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, knownBefore.StatusCode);
        Assert.Equal("/login", new Uri(_server.BaseAddress, knownBefore.Headers.Location!).AbsolutePath);
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.Equal("/login", new Uri(_server.BaseAddress, added.Headers.Location!).AbsolutePath);
        Assert.Equal(HttpStatusCode.BadRequest, removed.StatusCode);
        Assert.Null(removed.Headers.Location);
    }

    [Fact]
    public async Task JwtConfigurationLifetime_IsTheIdTokenLifetime()
    {
        await _api.OkAsync("PATCH", $"clients/{ConfigTenant.SpaClient}", new { jwt_configuration = new { lifetime_in_seconds = 600 } });

        using var browser = _server.CreateClient(new CookieContainer());
        var tokens = await LogInAsync(browser);

        var idToken = TokenClient.Decode((string)tokens["id_token"]!).Payload;
        Assert.Equal(600, (long)idToken["exp"]! - (long)idToken["iat"]!);
    }

    [Fact]
    public async Task TokenLifetimeForWeb_IsTheImplicitFlowAccessTokenLifetime()
    {
        await _api.OkAsync("PATCH", $"clients/{ConfigTenant.SpaClient}", new { grant_types = new[] { "authorization_code", "implicit" } });
        await _api.OkAsync("PATCH", $"resource-servers/{Uri.EscapeDataString(ConfigTenant.OrdersApi)}", new { token_lifetime_for_web = 600 });
        using var browser = _server.CreateClient(new CookieContainer());

        var callback = await LoginDriver.AuthorizeAsync(_server, browser, QueryHelpers.AddQueryString("/authorize", new Dictionary<string, string?>
        {
            ["response_type"] = "token id_token",
            ["client_id"] = ConfigTenant.SpaClient,
            ["redirect_uri"] = ConfigTenant.SpaCallback,
            ["scope"] = "openid read:orders",
            ["audience"] = ConfigTenant.OrdersApi,
            ["state"] = "s",
            ["nonce"] = "n",
        }), ConfigTenant.UserEmail, ConfigTenant.UserPassword);

        var fragment = QueryHelpers.ParseQuery(callback.Fragment.TrimStart('#'));
        var payload = TokenClient.Decode(fragment["access_token"].ToString()).Payload;
        Assert.Equal(600, (long)payload["exp"]! - (long)payload["iat"]!);
        Assert.InRange(int.Parse(fragment["expires_in"].ToString(), System.Globalization.CultureInfo.InvariantCulture), 590, 600);
    }

    [Fact]
    public async Task DeletedClient_RefreshTokensAreRevokedAndStayDeadWhenTheClientIdComesBack()
    {
        using var browser = _server.CreateClient(new CookieContainer());
        var tokens = await LogInAsync(browser);
        var refreshToken = (string)tokens["refresh_token"]!;

        Assert.Equal(204, (await _api.SendAsync("DELETE", $"clients/{ConfigTenant.SpaClient}")).Status);
        using var afterDelete = await RefreshAsync(refreshToken);
        await ReimportAsync();
        using var afterRecreate = await RefreshAsync(refreshToken);

        Assert.True(afterDelete.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized, $"{afterDelete.StatusCode}");
        Assert.Equal(HttpStatusCode.BadRequest, afterRecreate.StatusCode);
        Assert.Equal("invalid_grant", (string?)(await afterRecreate.ReadJsonObjectAsync())["error"]);
        var statuses = await _api.QueryAsync(db => db.Set<OpenIddictEntityFrameworkCoreToken>().Where(t => t.Type == OpenIddict.Abstractions.OpenIddictConstants.TokenTypeIdentifiers.RefreshToken).Select(t => t.Status).ToListAsync());
        Assert.NotEmpty(statuses);
        Assert.All(statuses, s => Assert.NotEqual("valid", s));
    }

    [Fact]
    public async Task DeletedClient_OtherClientsRefreshTokensStayValid()
    {
        using var browser = _server.CreateClient(new CookieContainer());
        var tokens = await LogInAsync(browser);

        Assert.Equal(204, (await _api.SendAsync("DELETE", $"clients/{ConfigTenant.WorkerClient}")).Status);
        using var refreshed = await RefreshAsync((string)tokens["refresh_token"]!);

        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
    }

    private static string Authorize(string redirectUri) => QueryHelpers.AddQueryString("/authorize", new Dictionary<string, string?>
    {
        ["response_type"] = "code",
        ["client_id"] = ConfigTenant.SpaClient,
        ["redirect_uri"] = redirectUri,
        ["scope"] = "openid",
        ["state"] = "s",
        ["code_challenge"] = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes("verifier-verifier-verifier-verifier-verifier"))),
        ["code_challenge_method"] = "S256",
    });

    /// <summary>The SPA's code flow for the Orders API with offline_access, through the real login page.</summary>
    private async Task<JsonObject> LogInAsync(HttpClient browser)
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var url = QueryHelpers.AddQueryString("/authorize", new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = ConfigTenant.SpaClient,
            ["redirect_uri"] = ConfigTenant.SpaCallback,
            ["scope"] = "openid profile offline_access read:orders",
            ["audience"] = ConfigTenant.OrdersApi,
            ["state"] = "s",
            ["nonce"] = "n",
            ["code_challenge"] = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))),
            ["code_challenge_method"] = "S256",
        });
        var callback = await LoginDriver.AuthorizeAsync(_server, browser, url, ConfigTenant.UserEmail, ConfigTenant.UserPassword);
        var code = QueryHelpers.ParseQuery(callback.Query)["code"].ToString();
        using var response = await browser.PostFormAsync("oauth/token",
            ("grant_type", "authorization_code"), ("client_id", ConfigTenant.SpaClient), ("code", code),
            ("redirect_uri", ConfigTenant.SpaCallback), ("code_verifier", verifier));
        var body = await response.ReadJsonObjectAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return body;
    }

    private Task<HttpResponseMessage> RefreshAsync(string refreshToken) =>
        _http.PostFormAsync("oauth/token", ("grant_type", "refresh_token"), ("client_id", ConfigTenant.SpaClient), ("refresh_token", refreshToken));

    /// <summary>The tenant file applied again (as at a restart with <c>--Latchkey:Import</c>): the deleted SPA is back with the same id.</summary>
    private async Task ReimportAsync()
    {
        await using var scope = _server.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<TenantImporter>().ApplyAsync(TenantFileReader.Parse(ConfigTenant.Json, "tenant.json"), "tenant.json");
        Assert.True(await scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>().Set<Application>().AnyAsync(a => a.ClientId == ConfigTenant.SpaClient));
    }
}
