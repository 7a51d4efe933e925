using System.Net;
using System.Text.Json.Nodes;
using Latchkey.Server.Tenants;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Protocol;
using Microsoft.EntityFrameworkCore;

namespace Latchkey.Server.Tests.Management;

/// <summary><c>/api/v2/clients</c> over real HTTP: Auth0's shapes, generated ids and secrets, the tenant file's URL rules, fields, filters and paging.</summary>
public sealed class ClientsApiTests(ConfigServerFixture fixture) : IClassFixture<ConfigServerFixture>
{
    private readonly LatchkeyTestServer _server = fixture.Server;
    private readonly ConfigApi _api = fixture.Api;

    /// <summary>A server of its own, for a test that changes the tenant.</summary>
    private static async Task<(LatchkeyTestServer Server, ConfigApi Api)> OwnServerAsync()
    {
        var server = await ConfigTenant.StartAsync();
        return (server, new ConfigApi(server, ConfigTenant.Token(server)));
    }

    [Fact]
    public async Task Create_MachineToMachine_GeneratesIdAndStrongSecretShownOnce()
    {
        var (status, created, response) = await _api.SendAsync("POST", "clients", new { name = "Billing worker", app_type = "non_interactive" });

        Assert.Equal(201, status);
        var clientId = (string)created!["client_id"]!;
        var secret = (string)created["client_secret"]!;
        Assert.Matches("^[A-Za-z0-9]{32}$", clientId);
        Assert.Matches("^[A-Za-z0-9_-]{43,}$", secret); // base64url, no padding
        Assert.True(Convert.FromBase64String(secret.Replace('-', '+').Replace('_', '/') + new string('=', (4 - (secret.Length % 4)) % 4)).Length * 8 >= 256);
        Assert.Equal($"/api/v2/clients/{clientId}", response.Headers.Location?.OriginalString);
        Assert.Equal("client_secret_post", (string?)created["token_endpoint_auth_method"]);
        Assert.Equal(["client_credentials"], TokenClient.Strings(created["grant_types"]));
        Assert.True((bool)created["is_first_party"]!);
        Assert.Equal(36000, (int)created["jwt_configuration"]!["lifetime_in_seconds"]!);

        var read = await _api.OkAsync("GET", $"clients/{clientId}");
        var listed = (await _api.OkAsync("GET", "clients")).AsArray();
        Assert.Null(read["client_secret"]);
        Assert.All(listed, c => Assert.Null(c!["client_secret"]));
        var stored = await _api.QueryAsync(db => db.Set<Application>().SingleAsync(a => a.ClientId == clientId));
        Assert.DoesNotContain(secret, stored.ClientSecretHash!, StringComparison.Ordinal);
        using var http = _server.CreateClient();
        using var token = await http.ClientCredentialsAsync(clientId, secret, ManagementTenant.Audience);
        Assert.Equal(HttpStatusCode.Forbidden, token.StatusCode); // authenticated, but no client grant yet (Auth0's access_denied)
    }

    [Fact]
    public async Task Create_Spa_IsPublicWithoutSecret()
    {
        var created = await _api.OkAsync("POST", "clients", new
        {
            name = "Shop",
            description = "The shop front",
            app_type = "spa",
            callbacks = new[] { "https://shop.example.com/callback", "http://localhost:5173/callback" },
            allowed_logout_urls = new[] { "https://shop.example.com/" },
            web_origins = new[] { "https://shop.example.com" },
            allowed_origins = new[] { "https://shop.example.com" },
            refresh_token = new { rotation_type = "rotating", expiration_type = "expiring", leeway = 10, token_lifetime = 86400, idle_token_lifetime = 3600 },
            jwt_configuration = new { lifetime_in_seconds = 600 },
            client_metadata = new { tier = "gold" },
        }, 201);

        Assert.Null(created["client_secret"]);
        Assert.Equal("none", (string?)created["token_endpoint_auth_method"]);
        Assert.Equal("The shop front", (string?)created["description"]);
        Assert.Equal(["authorization_code", "refresh_token"], TokenClient.Strings(created["grant_types"]));
        Assert.Equal(10, (int)created["refresh_token"]!["leeway"]!);
        Assert.False((bool)created["refresh_token"]!["infinite_token_lifetime"]!);
        Assert.Equal(600, (int)created["jwt_configuration"]!["lifetime_in_seconds"]!);
        Assert.Equal("gold", (string?)created["client_metadata"]!["tier"]);
        var stored = await _api.QueryAsync(db => db.Set<Application>().SingleAsync(a => a.ClientId == (string)created["client_id"]!));
        Assert.Null(stored.ClientSecretHash);
        Assert.Equal(600, stored.IdTokenLifetime);
    }

    [Theory]
    [InlineData("""{ "app_type": "spa" }""", "Payload validation error: 'Missing required property: name'.")]
    [InlineData("""{ "name": "a", "client_id": "chosen" }""", "Payload validation error: 'Additional properties not allowed: client_id'.")]
    [InlineData("""{ "name": "a", "addons": {} }""", "Payload validation error: 'Additional properties not allowed: addons'.")]
    [InlineData("""{ "name": "a", "app_type": "spa", "callbacks": [ "javascript:alert(1)" ] }""", "Payload validation error: '\"javascript:alert(1)\" is not an absolute http(s) URL' on property callbacks[0].")]
    [InlineData("""{ "name": "a", "callbacks": [ "http://app.example.com/cb" ] }""", "Payload validation error: '\"http://app.example.com/cb\" uses http; only localhost and loopback addresses may use http, use https' on property callbacks[0].")]
    [InlineData("""{ "name": "a", "web_origins": [ "https://*.example.com" ] }""", "Payload validation error: '\"https://*.example.com\" contains a wildcard; list each URL exactly' on property web_origins[0].")]
    [InlineData("""{ "name": "a", "app_type": "desktop" }""", "Payload validation error: 'unknown value \"desktop\" (expected one of: spa, regular_web, native, non_interactive)' on property app_type.")]
    [InlineData("""{ "name": "a", "app_type": "spa", "grant_types": [ "client_credentials" ] }""", "Payload validation error: 'a spa application is public and cannot use client_credentials' on property grant_types[0].")]
    [InlineData("""{ "name": "a", "grant_types": [ "password" ] }""", "Payload validation error: 'unknown grant type \"password\" (expected one of: authorization_code, implicit, refresh_token, client_credentials)' on property grant_types[0].")]
    [InlineData("""{ "name": "a", "token_endpoint_auth_method": "none" }""", "Payload validation error: 'a regular_web application is confidential: use client_secret_post or client_secret_basic' on property token_endpoint_auth_method.")]
    [InlineData("""{ "name": "a", "app_type": "spa", "token_endpoint_auth_method": "client_secret_basic" }""", "Payload validation error: 'a spa application is public: its token_endpoint_auth_method is \"none\"' on property token_endpoint_auth_method.")]
    [InlineData("""{ "name": "a", "description": "" }""", null)]
    [InlineData("""{ "name": "" }""", "Payload validation error: 'must not be empty' on property name.")]
    [InlineData("""{ "name": "a", "jwt_configuration": { "lifetime_in_seconds": 5 } }""", "Payload validation error: '5 is out of range (60 to 2592000)' on property jwt_configuration.lifetime_in_seconds.")]
    [InlineData("""{ "name": "a", "jwt_configuration": { "alg": "HS256" } }""", "Payload validation error: 'unknown value \"HS256\" (expected one of: RS256)' on property jwt_configuration.alg.")]
    [InlineData("""{ "name": "a", "client_metadata": { "n": 1 } }""", "Payload validation error: 'Expected type string but found type number' on property client_metadata.n.")]
    [InlineData("""{ "name": "a", "client_metadata": { "k1": "v", "k2": "v", "k3": "v", "k4": "v", "k5": "v", "k6": "v", "k7": "v", "k8": "v", "k9": "v", "k10": "v", "k11": "v" } }""", "Payload validation error: 'has 11 properties; at most 10 are allowed' on property client_metadata.")]
    [InlineData("""{ "name": "a", "refresh_token": { "rotation_type": "rotating" } }""", "Payload validation error: 'Missing required property: expiration_type' on property refresh_token.")]
    [InlineData("""{ "name": "a", "refresh_token": { "rotation_type": "rotating", "expiration_type": "expiring", "infinite_idle_token_lifetime": true } }""", "Payload validation error: 'must be false: every refresh token has an idle lifetime (idle_token_lifetime)' on property refresh_token.infinite_idle_token_lifetime.")]
    [InlineData("""{ "name": "a", "refresh_token": { "rotation_type": "rotating", "expiration_type": "expiring", "idle_token_lifetime": 7200, "token_lifetime": 3600 } }""", "Payload validation error: '7200 must not exceed token_lifetime (3600)' on property refresh_token.idle_token_lifetime.")]
    public async Task Create_InvalidBody_Is400InvalidBodyWithTheRule(string body, string? message)
    {
        var before = await _api.QueryAsync(db => db.Set<Application>().CountAsync());

        if (message is null)
        {
            await _api.OkAsync("POST", "clients", body, 201);
            return;
        }

        Assert.Equal(message, await _api.ErrorAsync("POST", "clients", body, 400, "invalid_body"));
        Assert.Equal(before, await _api.QueryAsync(db => db.Set<Application>().CountAsync()));
    }

    [Fact]
    public async Task List_FieldsAndFilters_ShapeAndSelect()
    {
        var (server, api) = await OwnServerAsync();
        await using var owned = server;
        var onlyIds = (await api.OkAsync("GET", "clients?fields=client_id,app_type&include_fields=true")).AsArray();
        var withoutUrls = (await api.OkAsync("GET", "clients?fields=callbacks,web_origins&include_fields=false")).AsArray();
        var spas = (await api.OkAsync("GET", "clients?app_type=spa,native")).AsArray();
        var thirdParty = (await api.OkAsync("GET", "clients?is_first_party=false")).AsArray();

        Assert.All(onlyIds, c => Assert.Equal(["client_id", "app_type"], c!.AsObject().Select(p => p.Key)));
        Assert.All(withoutUrls, c => Assert.False(c!.AsObject().ContainsKey("callbacks") || c.AsObject().ContainsKey("web_origins")));
        Assert.All(withoutUrls, c => Assert.NotNull(c!["grant_types"]));
        Assert.Equal([ConfigTenant.SpaClient], spas.Select(c => (string?)c!["client_id"]));
        Assert.Empty(thirdParty);
    }

    [Fact]
    public async Task List_PagedWithTotals_AnswersAuth0PageObject()
    {
        var (server, api) = await OwnServerAsync();
        await using var owned = server;
        var page = await api.OkAsync("GET", "clients?page=0&per_page=1&include_totals=true&fields=client_id");

        Assert.Equal((0, 1, 1, 2), ((int)page["start"]!, (int)page["limit"]!, (int)page["length"]!, (int)page["total"]!));
        Assert.Equal(ConfigTenant.WorkerClient, (string?)page["clients"]![0]!["client_id"]);
    }

    [Theory]
    [InlineData("clients?include_fields=1", "Query validation error: 'Expected type boolean but found type string' on property include_fields.")]
    [InlineData("clients?is_first_party=yes", "Query validation error: 'Expected type boolean but found type string' on property is_first_party.")]
    [InlineData("clients?app_type=spa&app_type=native", "Query validation error: 'Expected type string but found type array' on property app_type.")]
    [InlineData("clients/web-spa?include_fields=nope", "Query validation error: 'Expected type boolean but found type string' on property include_fields.")]
    public async Task Read_BadQuery_Is400InvalidQueryString(string path, string message)
    {
        Assert.Equal(message, await _api.ErrorAsync("GET", path, null, 400, "invalid_query_string"));
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    [InlineData("POST")]
    public async Task ById_Unknown_Is404InexistentClient(string method)
    {
        var path = method == "POST" ? "clients/nope/rotate-secret" : "clients/nope";

        var message = await _api.ErrorAsync(method, path, method == "PATCH" ? "{}" : null, 404, "inexistent_client");

        Assert.Equal("The client does not exist", message);
    }

    [Fact]
    public async Task Update_Members_ChangeOnlyThoseAndMetadataMerges()
    {
        var (server, api) = await OwnServerAsync();
        await using var owned = server;
        await api.OkAsync("PATCH", $"clients/{ConfigTenant.SpaClient}", new { client_metadata = new { a = "1", b = "2" } });

        var updated = await api.OkAsync("PATCH", $"clients/{ConfigTenant.SpaClient}", """
            { "name": "Web v2", "callbacks": [ "https://web.example.com/cb" ], "client_metadata": { "a": null, "c": "3" }, "is_first_party": false }
            """);

        Assert.Equal("Web v2", (string?)updated["name"]);
        Assert.Equal(["https://web.example.com/cb"], TokenClient.Strings(updated["callbacks"]));
        Assert.Equal(["http://localhost:3000"], TokenClient.Strings(updated["web_origins"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"b":"2","c":"3"}"""), updated["client_metadata"]), updated["client_metadata"]!.ToJsonString());
        Assert.False((bool)updated["is_first_party"]!);
        Assert.True(JsonNode.DeepEquals(updated, await api.OkAsync("GET", $"clients/{ConfigTenant.SpaClient}")));
    }

    [Fact]
    public async Task Update_ClientSecretWithoutUpdateClientKeys_Is403()
    {
        var message = await _api.ErrorAsync("PATCH", $"clients/{ConfigTenant.WorkerClient}", new { client_secret = "another-secret-0123456789-0123456789" }, 403, "insufficient_scope",
            ConfigTenant.Token(_server, ManagementScopes.UpdateClients));

        Assert.Equal("Insufficient scope, expected any of: update:client_keys", message);
    }

    [Fact]
    public async Task Update_ClientSecretWithUpdateClientKeys_ReplacesTheSecret()
    {
        var (server, api) = await OwnServerAsync();
        await using var owned = server;
        var token = ConfigTenant.Token(server, ManagementScopes.UpdateClientKeys);

        var (status, updated, _) = await api.SendAsync("PATCH", $"clients/{ConfigTenant.WorkerClient}", new { client_secret = "another-secret-0123456789-0123456789" }, token);

        Assert.Equal(200, status);
        Assert.Null(updated!["client_secret"]);
        using var http = server.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.ClientCredentialsAsync(ConfigTenant.WorkerClient, "another-secret-0123456789-0123456789", ConfigTenant.OrdersApi)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.ClientCredentialsAsync(ConfigTenant.WorkerClient, ConfigTenant.WorkerSecret, ConfigTenant.OrdersApi)).StatusCode);
    }

    [Fact]
    public async Task Update_ConfidentialWithGrantsToSpa_Is400AndNothingChanges()
    {
        var message = await _api.ErrorAsync("PATCH", $"clients/{ConfigTenant.WorkerClient}", """{ "app_type": "spa", "grant_types": [ "authorization_code" ] }""", 400, "invalid_body");

        Assert.Equal($"Payload validation error: 'a spa application is public and cannot keep its client grants (one is for \"{ConfigTenant.OrdersApi}\"): delete them first' on property app_type.", message);
        Assert.Equal(AppTypes.NonInteractive, (await _api.QueryAsync(db => db.Set<Application>().SingleAsync(a => a.ClientId == ConfigTenant.WorkerClient))).AppType);
    }

    [Fact]
    public async Task Update_SpaToRegularWeb_BecomesConfidentialWithAnUnknownSecretUntilRotated()
    {
        var (server, api) = await OwnServerAsync();
        await using var owned = server;
        var updated = await api.OkAsync("PATCH", $"clients/{ConfigTenant.SpaClient}", new { app_type = "regular_web" });
        var rotated = await api.OkAsync("POST", $"clients/{ConfigTenant.SpaClient}/rotate-secret");

        Assert.Equal("client_secret_post", (string?)updated["token_endpoint_auth_method"]);
        Assert.Null(updated["client_secret"]);
        Assert.False(string.IsNullOrEmpty((string?)rotated["client_secret"]));
        var stored = await api.QueryAsync(db => db.Set<Application>().SingleAsync(a => a.ClientId == ConfigTenant.SpaClient));
        Assert.NotNull(stored.ClientSecretHash);
    }

    [Fact]
    public async Task RotateSecret_PublicClient_Is400()
    {
        var message = await _api.ErrorAsync("POST", $"clients/{ConfigTenant.SpaClient}/rotate-secret", null, 400, "operation_not_supported");

        Assert.Contains("public clients have no secret", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_Client_RemovesItAndItsGrants()
    {
        var (server, api) = await OwnServerAsync();
        await using var owned = server;
        var (status, _, _) = await api.SendAsync("DELETE", $"clients/{ConfigTenant.WorkerClient}");

        Assert.Equal(204, status);
        Assert.Equal(404, (await api.SendAsync("GET", $"clients/{ConfigTenant.WorkerClient}")).Status);
        Assert.False(await api.QueryAsync(db => db.Set<ClientGrant>().AnyAsync(g => g.ClientId == ConfigTenant.WorkerClient)));
    }

    [Theory]
    [InlineData("GET", "clients", "read:clients,read:client_keys")]
    [InlineData("GET", "clients/{id}", "read:clients,read:client_keys")]
    [InlineData("POST", "clients", "create:clients")]
    [InlineData("PATCH", "clients/{id}", "update:clients,update:client_keys")]
    [InlineData("DELETE", "clients/{id}", "delete:clients")]
    [InlineData("POST", "clients/{id}/rotate-secret", "update:client_keys")]
    public async Task EachEndpoint_TokenWithOtherConfigScopes_Is403NamingItsScopes(string method, string path, string scopes)
    {
        var others = string.Join(' ', ConfigTenant.AllScopes.Split(' ').Except(scopes.Split(',')));
        var before = await _api.QueryAsync(db => db.Set<Application>().CountAsync());

        var message = await _api.ErrorAsync(method, path.Replace("{id}", ConfigTenant.WorkerClient, StringComparison.Ordinal),
            method is "POST" or "PATCH" ? """{ "name": "z" }""" : null, 403, "insufficient_scope", ConfigTenant.Token(_server, others));

        Assert.Equal($"Insufficient scope, expected any of: {scopes}", message);
        Assert.Equal(before, await _api.QueryAsync(db => db.Set<Application>().CountAsync()));
    }

    [Theory]
    [InlineData(ManagementScopes.ReadClients)]
    [InlineData(ManagementScopes.ReadClientKeys)]
    public async Task Get_EitherReadScope_ReadsButNeverTheSecret(string scope)
    {
        var (status, client, _) = await _api.SendAsync("GET", $"clients/{ConfigTenant.WorkerClient}", asToken: ConfigTenant.Token(_server, scope));

        Assert.Equal(200, status);
        Assert.Null(client!["client_secret"]);
        Assert.Equal("Worker", (string?)client["name"]);
    }
}
