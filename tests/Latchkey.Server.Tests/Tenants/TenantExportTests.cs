using System.Text.Json.Nodes;
using Latchkey.Server.Hosting;
using Latchkey.Server.Tenants;
using Microsoft.EntityFrameworkCore;

namespace Latchkey.Server.Tests.Tenants;

/// <summary>
/// <c>export</c> writes the tenant in the tenant-file format the import reads: exported from one database, imported
/// into an empty one and exported again, the file is the same; secrets and users are left out (like Auth0's Deploy
/// CLI), and a confidential Application imported without a secret gets one nobody knows until it is rotated.
/// </summary>
public sealed class TenantExportTests
{
    /// <summary>Every member the file format has, most with a value other than its default.</summary>
    private const string Rich = """
    {
      "resource_servers": [
        {
          "identifier": "https://orders.example.com", "name": "Orders",
          "scopes": [ { "value": "read:orders", "description": "Read" }, { "value": "write:orders" } ],
          "signing_alg": "RS256", "token_lifetime": 3600, "token_lifetime_for_web": 900, "allow_offline_access": true,
          "skip_consent_for_verifiable_first_party_clients": true, "enforce_policies": true, "token_dialect": "access_token_authz"
        },
        { "identifier": "urn:billing" }
      ],
      "clients": [
        {
          "client_id": "orders-spa", "name": "Orders SPA", "description": "The shop", "app_type": "spa", "is_first_party": false,
          "callbacks": [ "https://app.example.com/callback", "http://localhost:3000" ], "allowed_logout_urls": [ "https://app.example.com/" ],
          "web_origins": [ "https://app.example.com" ], "allowed_origins": [ "https://app.example.com/" ],
          "grant_types": [ "authorization_code", "refresh_token", "implicit" ],
          "refresh_token": { "rotation_type": "non-rotating", "expiration_type": "non-expiring", "leeway": 0, "token_lifetime": 86400, "idle_token_lifetime": 3600 },
          "jwt_configuration": { "lifetime_in_seconds": 600 },
          "client_metadata": { "z": "last", "a": "first" }
        },
        { "client_id": "mobile", "app_type": "native", "callbacks": [ "com.example.app:/callback" ] },
        {
          "client_id": "orders-worker", "client_secret": "worker-secret-0123456789-0123456789", "name": "Orders worker",
          "app_type": "non_interactive", "token_endpoint_auth_method": "client_secret_basic"
        },
        { "client_id": "portal", "client_secret": "portal-secret-0123456789-0123456789", "app_type": "regular_web", "callbacks": [ "https://portal.example.com/cb" ] }
      ],
      "client_grants": [
        { "client_id": "orders-worker", "audience": "https://orders.example.com", "scope": [ "write:orders", "read:orders" ] },
        { "client_id": "orders-worker", "audience": "http://127.0.0.1:7391/api/v2/", "scope": [ "read:users" ] },
        { "client_id": "portal", "audience": "urn:billing", "scope": [] }
      ],
      "roles": [
        { "name": "clerk", "description": "Reads orders", "permissions": [ { "resource_server_identifier": "https://orders.example.com", "permission_name": "read:orders" } ] },
        { "name": "admin", "permissions": [ { "resource_server_identifier": "http://127.0.0.1:7391/api/v2/", "permission_name": "read:users" } ] }
      ],
      "users": [ { "email": "alice@example.com", "password": "correct horse battery", "roles": [ "clerk" ] } ],
      "connections": [ { "name": "Username-Password-Authentication", "strategy": "auth0", "options": { "disable_signup": true } } ]
    }
    """;

    [Fact]
    public async Task Export_ImportIntoEmptyDatabase_ExportsTheSameFile()
    {
        using var first = new TenantHost();
        using var second = new TenantHost();
        await (await first.BuildWithFileAsync(Rich)).DisposeAsync();

        var exported = await ExportAsync(first);
        await (await second.BuildWithFileAsync(exported)).DisposeAsync();
        var again = await ExportAsync(second);

        Assert.Equal(exported, again);
        var file = JsonNode.Parse(exported)!;
        Assert.Equal(["resource_servers", "clients", "client_grants", "roles", "connections"], file.AsObject().Select(p => p.Key));
        Assert.True((bool)file["connections"]![0]!["options"]!["disable_signup"]!);
        Assert.Equal(["https://orders.example.com", "urn:billing"], file["resource_servers"]!.AsArray().Select(a => (string?)a!["identifier"]));
        Assert.Equal(["mobile", "orders-spa", "orders-worker", "portal"], file["clients"]!.AsArray().Select(c => (string?)c!["client_id"]));
        Assert.Equal(["admin", "clerk"], file["roles"]!.AsArray().Select(r => (string?)r!["name"]));
        Assert.Equal(3, file["client_grants"]!.AsArray().Count);
        var spa = file["clients"]![1]!;
        Assert.Equal(600, (int)spa["jwt_configuration"]!["lifetime_in_seconds"]!);
        Assert.Equal("""{"a":"first","z":"last"}""", spa["client_metadata"]!.ToJsonString());
        Assert.Equal("client_secret_basic", (string?)file["clients"]![2]!["token_endpoint_auth_method"]);
        Assert.Equal(900, (int)file["resource_servers"]![0]!["token_lifetime_for_web"]!);
    }

    [Fact]
    public async Task Export_LeavesOutSecretsAndUsers_AndAnImportedConfidentialClientGetsAnUnknownSecret()
    {
        using var first = new TenantHost();
        using var second = new TenantHost();
        await (await first.BuildWithFileAsync(Rich)).DisposeAsync();

        var exported = await ExportAsync(first);
        await (await second.BuildWithFileAsync(exported)).DisposeAsync();
        await (await second.BuildWithFileAsync(exported)).DisposeAsync();

        Assert.DoesNotContain("client_secret\"", exported, StringComparison.Ordinal);
        Assert.DoesNotContain("worker-secret", exported, StringComparison.Ordinal);
        Assert.DoesNotContain("alice", exported, StringComparison.Ordinal);
        var hashes = await second.QueryAsync(db => db.Set<Application>().ToDictionaryAsync(a => a.ClientId, a => a.ClientSecretHash));
        var original = await first.QueryAsync(db => db.Set<Application>().SingleAsync(a => a.ClientId == "orders-worker"));
        Assert.NotNull(hashes["orders-worker"]);
        Assert.NotNull(hashes["portal"]);
        Assert.Null(hashes["orders-spa"]);
        Assert.NotEqual(original.ClientSecretHash, hashes["orders-worker"]);
        Assert.Equal(0, await second.QueryAsync(db => db.Set<Server.Users.User>().CountAsync()));
    }

    [Fact]
    public async Task Import_ConfidentialClientWithoutSecret_KeepsTheStoredSecret()
    {
        using var host = new TenantHost();
        await (await host.BuildWithFileAsync(Rich)).DisposeAsync();
        var before = await host.QueryAsync(db => db.Set<Application>().SingleAsync(a => a.ClientId == "orders-worker"));

        await (await host.BuildWithFileAsync(Rich.Replace("\"client_secret\": \"worker-secret-0123456789-0123456789\", ", string.Empty, StringComparison.Ordinal))).DisposeAsync();

        var after = await host.QueryAsync(db => db.Set<Application>().SingleAsync(a => a.ClientId == "orders-worker"));
        Assert.Equal(before.ClientSecretHash, after.ClientSecretHash);
    }

    [Fact]
    public async Task ExportCommand_ToStandardOutput_PrintsOnlyTheFile()
    {
        using var host = new TenantHost();
        await (await host.BuildWithFileAsync(Rich)).DisposeAsync();
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await LatchkeyServer.ExportAsync(["-", .. host.Settings], output, error);

        Assert.Equal(0, exit);
        Assert.NotNull(JsonNode.Parse(output.ToString()));
        Assert.Contains("Exported 2 APIs, 4 applications, 3 client grants, 2 roles and the connection settings. Not exported: client secrets and users", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportCommand_WithoutPath_PrintsUsage()
    {
        using var error = new StringWriter();

        var exit = await LatchkeyServer.RunAsync(["export"], error);

        Assert.Equal(2, exit);
        Assert.StartsWith("Usage: Latchkey.Server export", error.ToString(), StringComparison.Ordinal);
    }

    private static async Task<string> ExportAsync(TenantHost host)
    {
        var path = Path.Combine(Path.GetTempPath(), "latchkey-tests", $"export-{Guid.NewGuid():N}.json");
        using var output = new StringWriter();
        using var error = new StringWriter();
        try
        {
            var exit = await LatchkeyServer.ExportAsync([path, .. host.Settings], output, error);
            Assert.True(exit == 0, error.ToString());
            Assert.Equal(string.Empty, output.ToString());
            return await File.ReadAllTextAsync(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
