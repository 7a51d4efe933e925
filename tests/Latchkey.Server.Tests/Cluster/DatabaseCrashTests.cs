using System.Collections.Concurrent;
using System.Net;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Protocol;
using Xunit.Abstractions;

namespace Latchkey.Server.Tests.Cluster;

/// <summary>
/// R-CRASH-2 (security catalogue §4): PostgreSQL crashes (<c>pg_ctl stop -m immediate</c>) under token load and comes
/// back. The server fails cleanly while it is down (503 with Retry-After and an OAuth error, never a 500 or a stack
/// trace), recovers without a restart, and loses nothing it acknowledged.
/// </summary>
public sealed class DatabaseCrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task PostgresCrash_UnderLoad_FailsCleanlyAndRecoversWithoutRestart()
    {
        await using var postgres = await PrivatePostgres.StartAsync();
        await using var server = await LatchkeyTestServer.StartAsync(ProtocolTenant.Json, "--ConnectionStrings:Latchkey", postgres.ConnectionString);
        using var client = server.CreateClient();
        var flow = new CodeFlow { ClientId = ProtocolTenant.LeewayClient };
        var refreshToken = (string)(await flow.RunAsync(server))["refresh_token"]!;

        var answers = new ConcurrentQueue<(string Kind, HttpStatusCode Status, string? RetryAfter, string Body)>();
        var acknowledged = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var refreshes = Task.Run(async () =>
        {
            for (var i = 0; i < 5_000 && !stop.IsCancellationRequested; i++)
            {
                var response = await CodeFlow.RefreshAsync(client, flow.ClientId, refreshToken);
                var body = await response.Content.ReadAsStringAsync();
                answers.Enqueue(("refresh", response.StatusCode, response.Headers.RetryAfter?.ToString(), body));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    refreshToken = (string)System.Text.Json.Nodes.JsonNode.Parse(body)!["refresh_token"]!;
                    Interlocked.Increment(ref acknowledged);
                }
                else
                {
                    await Task.Delay(100);
                }
            }
        });
        var grants = Task.Run(async () =>
        {
            for (var i = 0; i < 5_000 && !stop.IsCancellationRequested; i++)
            {
                var response = await client.ClientCredentialsAsync(ProtocolTenant.M2mClient, ProtocolTenant.M2mSecret, ProtocolTenant.Api);
                answers.Enqueue(("client_credentials", response.StatusCode, response.Headers.RetryAfter?.ToString(), await response.Content.ReadAsStringAsync()));
                await Task.Delay(50);
            }
        });

        await Eventually.PollAsync(() => Task.FromResult(Volatile.Read(ref acknowledged)), n => n >= 10, TimeSpan.FromSeconds(60));
        await postgres.CrashAsync();
        var down = await Eventually.PollAsync(async () => (await client.GetAsync("health/ready")).StatusCode, s => s == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(30));
        await Eventually.PollAsync(() => Task.FromResult(answers.Count(a => a.Status == HttpStatusCode.ServiceUnavailable)), n => n >= 3, TimeSpan.FromSeconds(30));
        var beforeRestart = Volatile.Read(ref acknowledged);
        await postgres.StartAgainAsync();
        var recovered = await Eventually.PollAsync(() => Task.FromResult(Volatile.Read(ref acknowledged)), n => n >= beforeRestart + 10, TimeSpan.FromSeconds(120));
        var ready = await Eventually.PollAsync(async () => (await client.GetAsync("health/ready")).StatusCode, s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(60));
        await stop.CancelAsync();
        await Task.WhenAll(refreshes, grants);

        // The last acknowledged refresh token still works: nothing acknowledged was lost.
        var last = await CodeFlow.RefreshAsync(client, flow.ClientId, refreshToken);
        var all = answers.ToList();
        output.WriteLine($"ledger: sent {all.Count}, acknowledged {all.Count(a => a.Status == HttpStatusCode.OK)} ({acknowledged} refresh rotations), "
            + $"503 during the outage {all.Count(a => a.Status == HttpStatusCode.ServiceUnavailable)}, other {all.Count(a => a.Status is not HttpStatusCode.OK and not HttpStatusCode.ServiceUnavailable)}, "
            + $"lost {(last.StatusCode == HttpStatusCode.OK ? 0 : 1)}");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, down);
        Assert.True(recovered >= beforeRestart + 10, $"refresh did not recover: {recovered} acknowledged");
        Assert.Equal(HttpStatusCode.OK, ready);
        Assert.Equal(HttpStatusCode.OK, last.StatusCode);
        Assert.All(all.Where(a => a.Status != HttpStatusCode.OK), a =>
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, a.Status);
            Assert.Equal(DatabaseRetryAfter, a.RetryAfter);
            Assert.Equal("temporarily_unavailable", (string?)System.Text.Json.Nodes.JsonNode.Parse(a.Body)!["error"]);
            Assert.DoesNotContain(" at ", a.Body, StringComparison.Ordinal);
        });
    }

    private const string DatabaseRetryAfter = "5";
}
