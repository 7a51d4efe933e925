using System.Diagnostics;
using System.Net;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Persistence;
using Latchkey.Server.Tests.Protocol;
using Xunit.Abstractions;

namespace Latchkey.Server.Tests.Management;

/// <summary>
/// Two nodes on one PostgreSQL database: what <c>/api/v2</c> writes on node A, node B's Management API reads at once
/// (it reads the database) and node B's token endpoint serves within the tenant-version watcher's bound.
/// </summary>
public sealed class ConfigChangesTwoNodeTests(ITestOutputHelper output)
{
    /// <summary>
    /// The watcher polls twice a second, so a change is served within about a second (see the output); a machine
    /// running the whole suite in parallel stretches that, so the bound is the failure line, not the expectation.
    /// </summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task WritesThroughNodeA_NodeBReadsThemAtOnceAndIssuesTokensWithinSeconds()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var nodeA = await StartNodeAsync(database);
        await using var nodeB = await StartNodeAsync(database);
        var atA = new ConfigApi(nodeA, ConfigTenant.Token(nodeA));
        var atB = new ConfigApi(nodeB, ConfigTenant.Token(nodeB));
        using var tokensAtB = nodeB.CreateClient();

        await atA.OkAsync("POST", "resource-servers", new { identifier = "https://reports.example.com/", scopes = new[] { new { value = "read:reports" } } }, 201);
        var client = await atA.OkAsync("POST", "clients", new { name = "Reporter", app_type = "non_interactive" }, 201);
        var (clientId, secret) = ((string)client["client_id"]!, (string)client["client_secret"]!);
        await atA.OkAsync("POST", "client-grants", new { client_id = clientId, audience = "https://reports.example.com/", scope = new[] { "read:reports" } }, 201);
        var readAtB = await atB.OkAsync("GET", $"clients/{clientId}");
        var granted = await TimeUntilAsync(() => tokensAtB.ClientCredentialsAsync(clientId, secret, "https://reports.example.com/"), HttpStatusCode.OK);

        var rotated = (string)(await atA.OkAsync("POST", $"clients/{clientId}/rotate-secret"))["client_secret"]!;
        var oldRefused = await TimeUntilAsync(() => tokensAtB.ClientCredentialsAsync(clientId, secret, "https://reports.example.com/"), HttpStatusCode.Unauthorized);
        using var fresh = await tokensAtB.ClientCredentialsAsync(clientId, rotated, "https://reports.example.com/");

        output.WriteLine($"node B issued after {granted.TotalMilliseconds:F0} ms; refused the rotated-out secret after {oldRefused.TotalMilliseconds:F0} ms");
        Assert.Equal("Reporter", (string?)readAtB["name"]);
        Assert.True(granted < Bound, $"node B issued the first token after {granted.TotalMilliseconds:F0} ms");
        Assert.True(oldRefused < Bound, $"node B still accepted the old secret after {oldRefused.TotalMilliseconds:F0} ms");
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
    }

    private static async Task<TimeSpan> TimeUntilAsync(Func<Task<HttpResponseMessage>> send, HttpStatusCode expected)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(15))
        {
            using var response = await send();
            if (response.StatusCode == expected)
            {
                return clock.Elapsed;
            }

            await Task.Delay(25);
        }

        return clock.Elapsed;
    }

    private static Task<LatchkeyTestServer> StartNodeAsync(PostgresDatabase database) =>
        LatchkeyTestServer.StartAsync(ConfigTenant.Json, "--ConnectionStrings:Latchkey", database.ConnectionString, "--Latchkey:Issuer", ConfigTenant.Issuer);
}
