using Latchkey.Server.Tenants;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Protocol;
using Microsoft.EntityFrameworkCore;

namespace Latchkey.Server.Tests.Management;

/// <summary><c>/api/v2/client-grants</c> over real HTTP: Auth0's shapes, both paging styles, filters, the rules' references, 404s and 409.</summary>
public sealed class ClientGrantsApiTests(ConfigServerFixture fixture) : IClassFixture<ConfigServerFixture>
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
    public async Task Create_ForConfidentialClient_Is201WithCgrId()
    {
        var (server, api) = await OwnServerAsync();
        await using var owned = server;
        var (status, grant, response) = await api.SendAsync("POST", "client-grants", new { client_id = ConfigTenant.WorkerClient, audience = ManagementTenant.Audience, scope = new[] { "read:users" } });

        Assert.Equal(201, status);
        Assert.Matches("^cgr_[0-9a-f]{32}$", (string?)grant!["id"]);
        Assert.Equal($"/api/v2/client-grants/{grant["id"]}", response.Headers.Location?.OriginalString);
        Assert.Equal((ConfigTenant.WorkerClient, ManagementTenant.Audience), ((string?)grant["client_id"], (string?)grant["audience"]));
        Assert.Equal(["read:users"], TokenClient.Strings(grant["scope"]));
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(grant, await api.OkAsync("GET", $"client-grants/{grant["id"]}")));
    }

    [Fact]
    public async Task Create_SameClientAndAudience_Is409()
    {
        var message = await _api.ErrorAsync("POST", "client-grants", new { client_id = ConfigTenant.WorkerClient, audience = ConfigTenant.OrdersApi, scope = Array.Empty<string>() }, 409, "client_grant_conflict");

        Assert.Equal($"A client grant already exists between {ConfigTenant.WorkerClient} and {ConfigTenant.OrdersApi}", message);
        Assert.Equal(1, await _api.QueryAsync(db => db.Set<ClientGrant>().CountAsync()));
    }

    [Fact]
    public async Task Create_UnknownClientOrAudience_Is404()
    {
        var noClient = await _api.ErrorAsync("POST", "client-grants", new { client_id = "ghost", audience = ConfigTenant.OrdersApi }, 404, "inexistent_client");
        var noApi = await _api.ErrorAsync("POST", "client-grants", new { client_id = ConfigTenant.WorkerClient, audience = "https://nowhere/" }, 404, "inexistent_resource_server");

        Assert.Equal("The client does not exist", noClient);
        Assert.Equal("No resource with identifier https://nowhere/", noApi);
    }

    [Theory]
    [InlineData("""{ "client_id": "web-spa", "audience": "https://orders.example.com/", "scope": [] }""", "Payload validation error: '\"web-spa\" is a spa application; client grants are for confidential applications (client_credentials)' on property client_id.")]
    [InlineData("""{ "client_id": "orders-worker", "audience": "http://issuer.latchkey.test/api/v2/", "scope": [ "read:users", "fly:away" ] }""", "Payload validation error: '\"fly:away\" is not a scope of API \"http://issuer.latchkey.test/api/v2/\"' on property scope[1].")]
    [InlineData("""{ "client_id": "orders-worker", "audience": "http://issuer.latchkey.test/api/v2/", "scope": [ "a b" ] }""", "Payload validation error: '\"a b\" is not a valid scope (printable ASCII without spaces, quotes or backslashes; RFC 6749 §3.3)' on property scope[0].")]
    [InlineData("""{ "client_id": "orders-worker" }""", "Payload validation error: 'Missing required property: audience'.")]
    [InlineData("""{ "client_id": "orders-worker", "audience": "x", "allow_any_organization": true }""", "Payload validation error: 'Additional properties not allowed: allow_any_organization'.")]
    [InlineData("""{ "client_id": "orders-worker", "audience": "x", "scope": "read:users" }""", "Payload validation error: 'Expected type array but found type string' on property scope.")]
    public async Task Create_Invalid_Is400WithTheRule(string body, string message)
    {
        Assert.Equal(message, await _api.ErrorAsync("POST", "client-grants", body, 400, "invalid_body"));
        Assert.Equal(1, await _api.QueryAsync(db => db.Set<ClientGrant>().CountAsync()));
    }

    [Fact]
    public async Task List_FiltersAndOffsetPaging_AnswerAuth0Shapes()
    {
        var (server, api) = await OwnServerAsync();
        await using var owned = server;
        var second = await api.OkAsync("POST", "clients", new { name = "Second", app_type = "non_interactive" }, 201);
        await api.OkAsync("POST", "client-grants", new { client_id = (string)second["client_id"]!, audience = ConfigTenant.OrdersApi, scope = new[] { "write:orders" } }, 201);
        await api.OkAsync("POST", "client-grants", new { client_id = ConfigTenant.WorkerClient, audience = ManagementTenant.Audience }, 201);

        var byAudience = (await api.OkAsync("GET", $"client-grants?audience={Uri.EscapeDataString(ConfigTenant.OrdersApi)}")).AsArray();
        var byClient = (await api.OkAsync("GET", $"client-grants?client_id={ConfigTenant.WorkerClient}")).AsArray();
        var both = (await api.OkAsync("GET", $"client-grants?client_id={ConfigTenant.WorkerClient}&audience={Uri.EscapeDataString(ManagementTenant.Audience)}")).AsArray();
        var page = await api.OkAsync("GET", "client-grants?per_page=2&page=1&include_totals=true");

        Assert.Equal(2, byAudience.Count);
        Assert.All(byAudience, g => Assert.Equal(ConfigTenant.OrdersApi, (string?)g!["audience"]));
        Assert.Equal(2, byClient.Count);
        Assert.Equal(ManagementTenant.Audience, (string?)Assert.Single(both)!["audience"]);
        Assert.Equal((2, 2, 1, 3), ((int)page["start"]!, (int)page["limit"]!, (int)page["length"]!, (int)page["total"]!));
        Assert.Single(page["client_grants"]!.AsArray());
    }

    [Fact]
    public async Task List_CheckpointPaging_WalksEveryGrantOnceWithNext()
    {
        var (server, api) = await OwnServerAsync();
        await using var owned = server;
        foreach (var i in Enumerable.Range(1, 4))
        {
            var client = await api.OkAsync("POST", "clients", new { name = $"M{i}", app_type = "non_interactive" }, 201);
            await api.OkAsync("POST", "client-grants", new { client_id = (string)client["client_id"]!, audience = ConfigTenant.OrdersApi }, 201);
        }

        var seen = new List<string>();
        string? from = null;
        var pages = 0;
        do
        {
            // node-auth0 v5+ sends include_totals=true with every checkpoint request.
            var page = await api.OkAsync("GET", "client-grants?include_totals=true&take=2" + (from is null ? string.Empty : $"&from={from}"));
            seen.AddRange(page["client_grants"]!.AsArray().Select(g => (string)g!["id"]!));
            from = (string?)page["next"];
            pages++;
        }
        while (from is not null && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(5, seen.Distinct().Count());
        Assert.Equal(seen.Order(StringComparer.Ordinal), seen);
    }

    [Theory]
    [InlineData("client-grants?take=0", "Query validation error: 'Value 0 is less than minimum 1' on property take.")]
    [InlineData("client-grants?take=2&page=1", "Query validation error: 'from/take (checkpoint) and page/per_page (offset) paging cannot be combined' on property page.")]
    [InlineData("client-grants?audience=a&audience=b", "Query validation error: 'Expected type string but found type array' on property audience.")]
    public async Task List_BadQuery_Is400(string path, string message)
    {
        Assert.Equal(message, await _api.ErrorAsync("GET", path, null, 400, "invalid_query_string"));
    }

    [Fact]
    public async Task Update_Scope_ReplacesItAndChecksTheApi()
    {
        var (server, api) = await OwnServerAsync();
        await using var owned = server;
        var id = await WorkerGrantIdAsync(api);

        var updated = await api.OkAsync("PATCH", $"client-grants/{id}", new { scope = new[] { "read:orders", "write:orders" } });
        var refused = await api.ErrorAsync("PATCH", $"client-grants/{id}", new { scope = new[] { "delete:orders" } }, 400, "invalid_body");
        var immutable = await api.ErrorAsync("PATCH", $"client-grants/{id}", new { audience = ManagementTenant.Audience }, 400, "invalid_body");

        Assert.Equal(["read:orders", "write:orders"], TokenClient.Strings(updated["scope"]));
        Assert.Equal($"Payload validation error: '\"delete:orders\" is not a scope of API \"{ConfigTenant.OrdersApi}\"' on property scope[0].", refused);
        Assert.Equal("Payload validation error: 'Additional properties not allowed: audience'.", immutable);
        Assert.Equal(["read:orders", "write:orders"], (await api.QueryAsync(db => db.Set<ClientGrant>().SingleAsync())).Scope);
    }

    [Fact]
    public async Task Delete_Grant_Is204ThenGone()
    {
        var (server, api) = await OwnServerAsync();
        await using var owned = server;
        var id = await WorkerGrantIdAsync(api);

        Assert.Equal(204, (await api.SendAsync("DELETE", $"client-grants/{id}")).Status);
        Assert.Equal("The client grant does not exist", await api.ErrorAsync("DELETE", $"client-grants/{id}", null, 404, "inexistent_client_grant"));
        Assert.Empty((await api.OkAsync("GET", "client-grants")).AsArray());
    }

    [Theory]
    [InlineData("GET", "cgr_00000000000000000000000000000000")]
    [InlineData("GET", "cgr_")]
    [InlineData("PATCH", "cgr_00000000000000000000000000000000")]
    [InlineData("PATCH", "not-a-grant")]
    [InlineData("DELETE", "cgr_zz")]
    public async Task ById_Unknown_Is404InexistentClientGrant(string method, string id)
    {
        Assert.Equal("The client grant does not exist",
            await _api.ErrorAsync(method, $"client-grants/{id}", method == "PATCH" ? """{ "scope": [] }""" : null, 404, "inexistent_client_grant"));
    }

    [Theory]
    [InlineData("GET", "client-grants", "read:client_grants")]
    [InlineData("GET", "client-grants/{id}", "read:client_grants")]
    [InlineData("POST", "client-grants", "create:client_grants")]
    [InlineData("PATCH", "client-grants/{id}", "update:client_grants")]
    [InlineData("DELETE", "client-grants/{id}", "delete:client_grants")]
    public async Task EachEndpoint_TokenWithOtherConfigScopes_Is403NamingItsScope(string method, string path, string scope)
    {
        var others = string.Join(' ', ConfigTenant.AllScopes.Split(' ').Where(s => s != scope));
        var id = await WorkerGrantIdAsync();

        var message = await _api.ErrorAsync(method, path.Replace("{id}", id, StringComparison.Ordinal),
            method is "POST" or "PATCH" ? """{ "scope": [] }""" : null, 403, "insufficient_scope", ConfigTenant.Token(_server, others));

        Assert.Equal($"Insufficient scope, expected any of: {scope}", message);
        Assert.Equal(["read:orders"], (await _api.QueryAsync(db => db.Set<ClientGrant>().SingleAsync())).Scope);
    }

    private async Task<string> WorkerGrantIdAsync(ConfigApi? api = null) =>
        (string)(await (api ?? _api).OkAsync("GET", $"client-grants?client_id={ConfigTenant.WorkerClient}"))[0]!["id"]!;
}
