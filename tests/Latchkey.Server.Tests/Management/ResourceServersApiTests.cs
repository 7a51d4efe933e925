using System.Text.Json.Nodes;
using Latchkey.Server.Tenants;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Users;
using Microsoft.EntityFrameworkCore;

namespace Latchkey.Server.Tests.Management;

/// <summary><c>/api/v2/resource-servers</c> over real HTTP: Auth0's shapes, the tenant file's rules, 404s, paging and the system API.</summary>
public sealed class ResourceServersApiTests(ConfigServerFixture fixture) : IClassFixture<ConfigServerFixture>
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
    public async Task List_Default_HasTheSystemManagementApiAndTheTenantsApis()
    {
        var list = (await _api.OkAsync("GET", "resource-servers")).AsArray();

        var system = Assert.Single(list, a => (bool)a!["is_system"]!)!;
        Assert.Equal(ManagementTenant.Audience, (string?)system["identifier"]);
        Assert.Contains(system["scopes"]!.AsArray(), s => (string?)s!["value"] == "read:resource_servers");
        var orders = Assert.Single(list, a => (string?)a!["identifier"] == ConfigTenant.OrdersApi)!;
        Assert.Matches("^[0-9a-f]{32}$", (string?)orders["id"]);
        Assert.Equal("Orders", (string?)orders["name"]);
        Assert.False((bool)orders["is_system"]!);
        Assert.Equal("RS256", (string?)orders["signing_alg"]);
        Assert.Equal(86400, (int)orders["token_lifetime"]!);
        Assert.Equal(7200, (int)orders["token_lifetime_for_web"]!);
        Assert.True((bool)orders["allow_offline_access"]!);
        Assert.False((bool)orders["skip_consent_for_verifiable_first_party_clients"]!);
        Assert.False((bool)orders["enforce_policies"]!);
        Assert.Equal("access_token", (string?)orders["token_dialect"]);
        Assert.Equal("Read orders", (string?)orders["scopes"]![0]!["description"]);
        Assert.Null(orders["scopes"]![1]!["description"]);
    }

    [Fact]
    public async Task List_PagedWithTotals_AnswersAuth0PageObject()
    {
        var (server, api) = await OwnServerAsync();
        await using var owned = server;
        foreach (var i in Enumerable.Range(1, 3))
        {
            await api.OkAsync("POST", "resource-servers", new { identifier = $"https://api{i}.example.com" }, 201);
        }

        var page = await api.OkAsync("GET", "resource-servers?page=1&per_page=2&include_totals=true");
        var all = (await api.OkAsync("GET", "resource-servers?per_page=100")).AsArray();

        Assert.Equal(5, all.Count);
        Assert.Equal(2, (int)page["start"]!);
        Assert.Equal(2, (int)page["limit"]!);
        Assert.Equal(2, (int)page["length"]!);
        Assert.Equal(5, (int)page["total"]!);
        Assert.Equal(all.Skip(2).Take(2).Select(a => (string?)a!["id"]), page["resource_servers"]!.AsArray().Select(a => (string?)a!["id"]));
    }

    [Fact]
    public async Task List_ByIdentifiers_ReturnsOnlyThose()
    {
        var list = (await _api.OkAsync("GET", $"resource-servers?identifiers={Uri.EscapeDataString(ConfigTenant.OrdersApi)}&identifiers=https%3A%2F%2Fnone")).AsArray();

        Assert.Equal([ConfigTenant.OrdersApi], list.Select(a => (string?)a!["identifier"]));
    }

    [Theory]
    [InlineData("resource-servers?per_page=101", "Query validation error: 'Value 101 is greater than maximum 100' on property per_page.")]
    [InlineData("resource-servers?include_fields=maybe", "Query validation error: 'Expected type boolean but found type string' on property include_fields.")]
    public async Task List_BadQuery_Is400InvalidQueryString(string path, string message)
    {
        Assert.Equal(message, await _api.ErrorAsync("GET", path, null, 400, "invalid_query_string"));
    }

    [Fact]
    public async Task Create_MinimalBody_TakesAuth0DefaultsAndIsReadableByIdAndIdentifier()
    {
        var (status, created, response) = await _api.SendAsync("POST", "resource-servers", new { identifier = "https://billing.example.com/v1" });

        Assert.Equal(201, status);
        var id = (string)created!["id"]!;
        Assert.Equal($"/api/v2/resource-servers/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("https://billing.example.com/v1", (string?)created["name"]);
        Assert.Equal(86400, (int)created["token_lifetime"]!);
        Assert.Equal(7200, (int)created["token_lifetime_for_web"]!);
        Assert.Empty(created["scopes"]!.AsArray());
        var byId = await _api.OkAsync("GET", $"resource-servers/{id}");
        var byIdentifier = await _api.OkAsync("GET", $"resource-servers/{Uri.EscapeDataString("https://billing.example.com/v1")}");
        Assert.True(JsonNode.DeepEquals(created, byId));
        Assert.True(JsonNode.DeepEquals(created, byIdentifier));
    }

    [Fact]
    public async Task Create_FullBody_StoresEveryMember()
    {
        var created = await _api.OkAsync("POST", "resource-servers", new
        {
            identifier = "urn:inventory",
            name = "Inventory",
            scopes = new[] { new { value = "read:stock", description = "Read stock" } },
            signing_alg = "RS256",
            token_lifetime = 3600,
            token_lifetime_for_web = 600,
            allow_offline_access = true,
            skip_consent_for_verifiable_first_party_clients = true,
            enforce_policies = true,
            token_dialect = "access_token_authz",
        }, 201);

        var stored = await _api.QueryAsync(db => db.Set<Api>().SingleAsync(a => a.Identifier == "urn:inventory"));
        Assert.Equal(("Inventory", 3600, 600, true, true, true, "access_token_authz"),
            (stored.Name, stored.TokenLifetime, stored.TokenLifetimeForWeb, stored.AllowOfflineAccess, stored.SkipConsentForVerifiableFirstPartyClients, stored.EnforcePolicies, stored.TokenDialect));
        Assert.Equal("read:stock", Assert.Single(stored.Scopes).Value);
        Assert.Equal(600, (int)created["token_lifetime_for_web"]!);
    }

    [Theory]
    [InlineData("""{ "name": "x" }""", "Payload validation error: 'Missing required property: identifier'.")]
    [InlineData("""{ "identifier": "https://x", "signing_secret": "s" }""", "Payload validation error: 'Additional properties not allowed: signing_secret'.")]
    [InlineData("""{ "identifier": "https://x", "token_lifetime": "1" }""", "Payload validation error: 'Expected type integer but found type string' on property token_lifetime.")]
    [InlineData("""{ "identifier": "https://x", "signing_alg": "HS256" }""", "Payload validation error: 'unknown value \"HS256\" (expected one of: RS256)' on property signing_alg.")]
    [InlineData("""{ "identifier": "https://x", "token_lifetime": 10 }""", "Payload validation error: '10 is out of range (60 to 2592000)' on property token_lifetime.")]
    [InlineData("""{ "identifier": "https://x", "token_lifetime": 3600, "token_lifetime_for_web": 7200 }""", "Payload validation error: '7200 must not exceed token_lifetime (3600)' on property token_lifetime_for_web.")]
    [InlineData("""{ "identifier": "https://x", "token_dialect": "jwt" }""", "Payload validation error: 'unknown value \"jwt\" (expected one of: access_token, access_token_authz, rfc9068_profile, rfc9068_profile_authz)' on property token_dialect.")]
    [InlineData("""{ "identifier": "https://x", "name": "<b>" }""", "Payload validation error: 'must not contain '<' or '>'' on property name.")]
    [InlineData("""{ "identifier": "has space" }""", "Payload validation error: '\"has space\" must not contain whitespace or control characters' on property identifier.")]
    [InlineData("""{ "identifier": "https://x", "scopes": [ { "value": "a b" } ] }""", "Payload validation error: '\"a b\" is not a valid scope (printable ASCII without spaces, quotes or backslashes; RFC 6749 §3.3)' on property scopes[0].value.")]
    [InlineData("""{ "identifier": "https://x", "scopes": [ { "value": "a" }, { "value": "a" } ] }""", "Payload validation error: '\"a\" is a duplicate of scopes[0].value' on property scopes[1].value.")]
    [InlineData("""{ "identifier": "https://x", "scopes": [ { "description": "no value" } ] }""", "Payload validation error: 'Missing required property: value' on property scopes[0].")]
    public async Task Create_InvalidBody_Is400InvalidBodyWithTheRule(string body, string message)
    {
        Assert.Equal(message, await _api.ErrorAsync("POST", "resource-servers", body, 400, "invalid_body"));
        Assert.False(await _api.QueryAsync(db => db.Set<Api>().AnyAsync(a => a.Identifier == "https://x")));
    }

    [Theory]
    [InlineData(ConfigTenant.OrdersApi)]
    [InlineData(ManagementTenant.Audience)]
    public async Task Create_ExistingIdentifier_Is409Conflict(string identifier)
    {
        var message = await _api.ErrorAsync("POST", "resource-servers", new { identifier }, 409, "resource_server_conflict");

        Assert.Equal("A resource server with the same identifier already exists", message);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task ById_Unknown_Is404InexistentResourceServer(string method)
    {
        foreach (var id in new[] { "0123456789abcdef0123456789abcdef", "https%3A%2F%2Fnowhere.example.com%2F", "not-an-id" })
        {
            var message = await _api.ErrorAsync(method, $"resource-servers/{id}", method == "PATCH" ? "{}" : null, 404, "inexistent_resource_server");
            Assert.Equal("The resource server does not exist", message);
        }
    }

    [Fact]
    public async Task Update_SomeMembers_ChangesOnlyThose()
    {
        var (server, api) = await OwnServerAsync();
        await using var owned = server;
        var id = await OrdersIdAsync(api);

        var updated = await api.OkAsync("PATCH", $"resource-servers/{id}", new { name = "Orders v2", token_lifetime = 3600 });

        Assert.Equal("Orders v2", (string?)updated["name"]);
        Assert.Equal(3600, (int)updated["token_lifetime"]!);
        Assert.Equal(3600, (int)updated["token_lifetime_for_web"]!); // dragged down: it may not exceed token_lifetime
        Assert.True((bool)updated["allow_offline_access"]!);
        Assert.Equal(2, updated["scopes"]!.AsArray().Count);
        Assert.True(JsonNode.DeepEquals(updated, await api.OkAsync("GET", $"resource-servers/{id}")));
    }

    [Theory]
    [InlineData("""{ "identifier": "https://other" }""", "Payload validation error: 'Additional properties not allowed: identifier'.")]
    [InlineData("""{ "token_lifetime_for_web": 90000 }""", "Payload validation error: '90000 must not exceed token_lifetime (86400)' on property token_lifetime_for_web.")]
    [InlineData("""{ "name": null }""", "Payload validation error: 'Expected type string but found type null' on property name.")]
    public async Task Update_InvalidBody_Is400AndChangesNothing(string body, string message)
    {
        var id = await OrdersIdAsync();
        var before = await _api.OkAsync("GET", $"resource-servers/{id}");

        Assert.Equal(message, await _api.ErrorAsync("PATCH", $"resource-servers/{id}", body, 400, "invalid_body"));
        Assert.True(JsonNode.DeepEquals(before, await _api.OkAsync("GET", $"resource-servers/{id}")));
    }

    [Fact]
    public async Task Update_RemovedScope_IsRemovedFromGrantsRolePermissionsAndDirectPermissions()
    {
        var (server, api) = await OwnServerAsync();
        await using var owned = server;
        await api.OkAsync("PATCH", $"resource-servers/{Uri.EscapeDataString(ConfigTenant.OrdersApi)}", new { scopes = new[] { new { value = "write:orders" } } });

        var grant = await api.QueryAsync(db => db.Set<ClientGrant>().SingleAsync(g => g.ClientId == ConfigTenant.WorkerClient));
        var role = await api.QueryAsync(db => db.Set<Role>().SingleAsync(r => r.Name == "clerk"));
        var direct = await api.QueryAsync(db => db.Set<UserPermission>().Select(p => p.PermissionName).ToListAsync());
        Assert.Empty(grant.Scope);
        Assert.Equal(["write:orders"], role.Permissions.Select(p => p.PermissionName));
        Assert.Equal(["write:orders"], direct);
    }

    [Fact]
    public async Task SystemApi_ScopesOrName_Is400AdditionalProperty()
    {
        var path = $"resource-servers/{Uri.EscapeDataString(ManagementTenant.Audience)}";

        Assert.Equal("Payload validation error: 'Additional properties not allowed: scopes'.",
            await _api.ErrorAsync("PATCH", path, """{ "scopes": [] }""", 400, "invalid_body"));
        Assert.Equal("Payload validation error: 'Additional properties not allowed: name'.",
            await _api.ErrorAsync("PATCH", path, """{ "token_lifetime": 600, "name": "Mine" }""", 400, "invalid_body"));
        var system = await _api.OkAsync("GET", path);
        Assert.Equal(ManagementScopes.All.Count, system["scopes"]!.AsArray().Count);
        Assert.Equal(ManagementApiDefinition.Name, (string?)system["name"]);
    }

    [Fact]
    public async Task SystemApi_TokenLifetime_CanChange()
    {
        var (server, api) = await OwnServerAsync();
        await using var owned = server;
        var updated = await api.OkAsync("PATCH", $"resource-servers/{Uri.EscapeDataString(ManagementTenant.Audience)}", new { token_lifetime = 600 });

        Assert.Equal(600, (int)updated["token_lifetime"]!);
        Assert.True((bool)updated["is_system"]!);
    }

    [Fact]
    public async Task SystemApi_Delete_Is403AndItStays()
    {
        var message = await _api.ErrorAsync("DELETE", $"resource-servers/{Uri.EscapeDataString(ManagementTenant.Audience)}", null, 403, "operation_not_supported");

        Assert.Contains("cannot be deleted", message, StringComparison.Ordinal);
        await _api.OkAsync("GET", $"resource-servers/{Uri.EscapeDataString(ManagementTenant.Audience)}");
    }

    [Fact]
    public async Task Delete_Api_RemovesItsGrantsRolePermissionsAndDirectPermissionsInTheSameWrite()
    {
        var (server, api) = await OwnServerAsync();
        await using var owned = server;
        var id = await OrdersIdAsync(api);

        var (status, body, _) = await api.SendAsync("DELETE", $"resource-servers/{id}");

        Assert.Equal(204, status);
        Assert.Null(body);
        Assert.Equal(404, (await api.SendAsync("GET", $"resource-servers/{id}")).Status);
        Assert.False(await api.QueryAsync(db => db.Set<ClientGrant>().AnyAsync(g => g.Audience == ConfigTenant.OrdersApi)));
        Assert.Empty((await api.QueryAsync(db => db.Set<Role>().SingleAsync(r => r.Name == "clerk"))).Permissions);
        Assert.False(await api.QueryAsync(db => db.Set<UserPermission>().AnyAsync()));
    }

    [Theory]
    [InlineData("GET", "resource-servers", "read:resource_servers")]
    [InlineData("GET", "resource-servers/{id}", "read:resource_servers")]
    [InlineData("POST", "resource-servers", "create:resource_servers")]
    [InlineData("PATCH", "resource-servers/{id}", "update:resource_servers")]
    [InlineData("DELETE", "resource-servers/{id}", "delete:resource_servers")]
    public async Task EachEndpoint_TokenWithOtherConfigScopes_Is403NamingItsScope(string method, string path, string scope)
    {
        var others = string.Join(' ', ConfigTenant.AllScopes.Split(' ').Where(s => s != scope));
        var id = await OrdersIdAsync();

        var message = await _api.ErrorAsync(method, path.Replace("{id}", id, StringComparison.Ordinal), method is "POST" or "PATCH" ? """{ "identifier": "https://y" }""" : null,
            403, "insufficient_scope", ConfigTenant.Token(_server, others));

        Assert.Equal($"Insufficient scope, expected any of: {scope}", message);
        Assert.NotNull(await _api.QueryAsync(db => db.Set<Api>().SingleOrDefaultAsync(a => a.Identifier == ConfigTenant.OrdersApi)));
    }

    private async Task<string> OrdersIdAsync(ConfigApi? api = null) =>
        (string)(await (api ?? _api).OkAsync("GET", $"resource-servers/{Uri.EscapeDataString(ConfigTenant.OrdersApi)}"))["id"]!;
}
