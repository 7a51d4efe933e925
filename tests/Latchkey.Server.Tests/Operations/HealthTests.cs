using System.Net;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Persistence;
using Latchkey.Server.Tests.Protocol;

namespace Latchkey.Server.Tests.Operations;

public sealed class HealthTests
{
    [Fact]
    public async Task Ready_OnSqlite_ReportsEveryCheckHealthy()
    {
        await using var server = await LatchkeyTestServer.StartAsync(ProtocolTenant.Json);
        using var client = server.CreateClient();

        var live = await client.GetAsync("health/live");
        var ready = await client.GetAsync("health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var checks = (await ready.ReadJsonObjectAsync())["checks"]!.AsObject();
        Assert.Equal("Healthy", checks["database"]!["status"]!.GetValue<string>());
        Assert.Equal("Healthy", checks["signing_keys"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Ready_DatabaseTakenAwayAndGivenBack_FailsThenRecoversWithoutRestart()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var server = await LatchkeyTestServer.StartAsync(ProtocolTenant.Json, "--ConnectionStrings:Latchkey", database.ConnectionString);
        using var client = server.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("health/ready")).StatusCode);

        await database.SetAvailableAsync(false);
        var down = await client.GetAsync("health/ready");
        var live = await client.GetAsync("health/live");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        var body = await down.Content.ReadAsStringAsync();
        Assert.Equal("Unhealthy", JsonNode.Parse(body)!["checks"]!["database"]!["status"]!.GetValue<string>());
        Assert.DoesNotContain("Npgsql", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);

        await database.SetAvailableAsync(true);
        // Wide margin for a loaded machine: the first probe after the outage may still meet a dead pooled connection.
        var status = await Eventually.PollAsync(
            async () => (await client.GetAsync("health/ready")).StatusCode, s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.OK, status);
    }
}
