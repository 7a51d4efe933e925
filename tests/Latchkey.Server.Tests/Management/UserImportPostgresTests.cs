using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Latchkey.Server.Tenants;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Persistence;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Latchkey.Server.Tests.Management;

/// <summary>The users import on PostgreSQL with two nodes: the job posted to one is read, and its users log in, on the other.</summary>
public sealed class UserImportPostgresTests
{
    [Fact]
    public async Task UsersImport_TwoNodesOnPostgres_JobAndUsersSeenOnTheOtherNode()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var nodeA = await LatchkeyTestServer.StartAsync(ManagementTenant.Json, "--ConnectionStrings:Latchkey", database.ConnectionString, "--Latchkey:Issuer", ManagementTenant.Issuer);
        await using var nodeB = await LatchkeyTestServer.StartAsync(ManagementTenant.Json, "--ConnectionStrings:Latchkey", database.ConnectionString, "--Latchkey:Issuer", ManagementTenant.Issuer);
        using var a = Client(nodeA, ManagementScopes.CreateUsers + " " + ManagementScopes.ReadConnections);
        using var b = Client(nodeB, ManagementScopes.ReadUsers);
        var connectionId = (string)JsonNode.Parse(await a.GetStringAsync("api/v2/connections"))![0]!["id"]!;
        var users = new JsonArray(
            UserImportJobTests.ImportedUser("pia@example.com", "pia1", BCrypt.Net.BCrypt.HashPassword("pia-old-password", 10)),
            UserImportJobTests.ImportedUser(ManagementTenant.AliceEmail, "alice1", null));
        using var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(users.ToJsonString())), "users", "users.json" }, { new StringContent(connectionId), "connection_id" } };

        using var posted = await a.PostAsync("api/v2/jobs/users-imports", form);
        var body = await posted.Content.ReadAsStringAsync();
        Assert.True(posted.StatusCode == HttpStatusCode.Accepted, body);
        var id = (string)JsonNode.Parse(body)!["id"]!;
        var job = await Eventually.PollAsync(
            async () => JsonNode.Parse(await b.GetStringAsync($"api/v2/jobs/{id}"))!,
            j => (string?)j["status"] is "completed" or "failed",
            TimeSpan.FromSeconds(60));

        Assert.Equal(JsonNode.Parse("""{ "failed": 1, "updated": 0, "inserted": 1, "total": 2 }"""), job["summary"], JsonNode.DeepEquals);
        var errors = JsonNode.Parse(await b.GetStringAsync($"api/v2/jobs/{id}/errors"))!.AsArray();
        Assert.Equal("DUPLICATED_USER", (string?)Assert.Single(errors)!["errors"]![0]!["code"]);
        var tokens = await ManagementTokens.LogInForTokensAsync(nodeB, "pia@example.com", "pia-old-password", "read:current_user");
        Assert.Equal("auth0|pia1", new JsonWebToken((string)tokens["id_token"]!).Subject);
    }

    private static HttpClient Client(LatchkeyTestServer server, string scope)
    {
        var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", ManagementTokens.Mint(server, ManagementTenant.AdminClient + "@clients", scope, client: true));
        return client;
    }
}
