using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tenants;
using Latchkey.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.Server.Tests.Management;

/// <summary>
/// The tenant the tenant-configuration tests (resource servers, clients, client grants) import: an API with scopes, a
/// role using one, an SPA, a worker with a client grant, and a user for login flows. Same issuer as
/// <see cref="ManagementTenant"/>, so the Management API audience is known before the port is.
/// </summary>
internal static class ConfigTenant
{
    public const string Issuer = ManagementTenant.Issuer;
    public const string OrdersApi = "https://orders.example.com/";
    public const string SpaClient = "web-spa";
    public const string SpaCallback = "http://localhost:3000/callback";
    public const string WorkerClient = "orders-worker";
    public const string WorkerSecret = "worker-secret-0123456789-0123456789";
    public const string UserEmail = "carol@example.com";
    public const string UserPassword = "carol-password-1";

    /// <summary>Every scope of the three resources, for a token that may do anything these tests need.</summary>
    public static readonly string AllScopes = string.Join(' ',
        ManagementScopes.ReadResourceServers, ManagementScopes.CreateResourceServers, ManagementScopes.UpdateResourceServers, ManagementScopes.DeleteResourceServers,
        ManagementScopes.ReadClients, ManagementScopes.CreateClients, ManagementScopes.UpdateClients, ManagementScopes.DeleteClients,
        ManagementScopes.ReadClientKeys, ManagementScopes.UpdateClientKeys,
        ManagementScopes.ReadClientGrants, ManagementScopes.CreateClientGrants, ManagementScopes.UpdateClientGrants, ManagementScopes.DeleteClientGrants);

    public const string Json = """
    {
      "resource_servers": [
        {
          "identifier": "https://orders.example.com/", "name": "Orders",
          "scopes": [ { "value": "read:orders", "description": "Read orders" }, { "value": "write:orders" } ],
          "allow_offline_access": true
        }
      ],
      "clients": [
        {
          "client_id": "web-spa", "name": "Web", "app_type": "spa",
          "callbacks": [ "http://localhost:3000/callback" ], "web_origins": [ "http://localhost:3000" ],
          "grant_types": [ "authorization_code", "refresh_token" ]
        },
        { "client_id": "orders-worker", "client_secret": "worker-secret-0123456789-0123456789", "name": "Worker", "app_type": "non_interactive" }
      ],
      "client_grants": [ { "client_id": "orders-worker", "audience": "https://orders.example.com/", "scope": [ "read:orders" ] } ],
      "roles": [
        { "name": "clerk", "permissions": [
          { "resource_server_identifier": "https://orders.example.com/", "permission_name": "read:orders" },
          { "resource_server_identifier": "https://orders.example.com/", "permission_name": "write:orders" } ] }
      ],
      "users": [ { "email": "carol@example.com", "password": "carol-password-1", "email_verified": true, "roles": [ "clerk" ],
          "permissions": [ { "resource_server_identifier": "https://orders.example.com/", "permission_name": "read:orders" },
                           { "resource_server_identifier": "https://orders.example.com/", "permission_name": "write:orders" } ] } ]
    }
    """;

    public static Task<LatchkeyTestServer> StartAsync() =>
        LatchkeyTestServer.StartAsync(Json, "--Latchkey:Issuer", Issuer);

    /// <summary>A Management API token holding <paramref name="scopes"/> (default: all of <see cref="AllScopes"/>), as an application.</summary>
    public static string Token(LatchkeyTestServer server, string? scopes = null) =>
        ManagementTokens.Mint(server, "config-admin@clients", scopes ?? AllScopes, client: true);
}

/// <summary>Calls to <c>/api/v2</c> and what they answer, for the configuration tests.</summary>
internal sealed class ConfigApi(LatchkeyTestServer server, string token)
{
    public LatchkeyTestServer Server => server;

    public async Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> SendAsync(string method, string path, object? body = null, string? asToken = null)
    {
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri("api/v2/" + path.TrimStart('/'), UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", asToken ?? token);
        if (body is not null)
        {
            request.Content = new StringContent(body as string ?? System.Text.Json.JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }

        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response);
    }

    public async Task<JsonNode> OkAsync(string method, string path, object? body = null, int status = 200)
    {
        var (actual, json, _) = await SendAsync(method, path, body);
        Assert.True(actual == status, $"{method} {path}: {actual} {json?.ToJsonString()}");
        return json ?? new JsonObject();
    }

    /// <summary>Asserts Auth0's error shape and returns the message.</summary>
    public async Task<string> ErrorAsync(string method, string path, object? body, int status, string? errorCode, string? asToken = null)
    {
        var (actual, json, response) = await SendAsync(method, path, body, asToken);
        Assert.True(actual == status, $"{method} {path}: {actual} {json?.ToJsonString()}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(status, (int)json!["statusCode"]!);
        Assert.False(string.IsNullOrEmpty((string?)json["error"]));
        Assert.Equal(errorCode, (string?)json["errorCode"]);
        return (string)json["message"]!;
    }

    public async Task<T> QueryAsync<T>(Func<LatchkeyDbContext, Task<T>> query)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>());
    }
}

/// <summary>
/// One server with <see cref="ConfigTenant"/> shared by the tests of a class that leave the tenant as they found it
/// (refused requests, reads); a test that changes the tenant starts its own (<see cref="ConfigTenant.StartAsync"/>).
/// </summary>
public sealed class ConfigServerFixture : IAsyncLifetime
{
    private LatchkeyTestServer? _server;

    internal LatchkeyTestServer Server => _server ?? throw new InvalidOperationException("Not started.");

    internal ConfigApi Api => new(Server, ConfigTenant.Token(Server));

    public async Task InitializeAsync() => _server = await ConfigTenant.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
