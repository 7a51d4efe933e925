using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Persistence;
using Latchkey.Server.Tests.Protocol;
using Xunit.Abstractions;

namespace Latchkey.Server.Tests.Cluster;

/// <summary>
/// R-CRASH-1 (security catalogue §4): node A is killed (<c>kill -9</c>) under refresh-token load and restarted, while
/// node B keeps serving. A ledger counts what was sent and acknowledged; an answer A never sent is retried on B with
/// the same refresh token (the client's reuse interval covers the case where A had already committed). Nothing
/// acknowledged is lost, and the nodes' JSON logs never contain a token, a secret or a password.
/// </summary>
public sealed class NodeCrashTests(ITestOutputHelper output)
{
    private const int Families = 3;

    [Fact]
    public async Task KillNodeA_UnderRefreshLoad_LosesNoAcknowledgedRotation()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var tenantFile = Path.Combine(Directory.CreateTempSubdirectory("latchkey-crash-").FullName, "tenant.json");
        await File.WriteAllTextAsync(tenantFile, ClusterTenant.Json);
        string[] cluster = ["--ConnectionStrings:Latchkey", database.ConnectionString, "--Latchkey:Issuer", ClusterTenant.Issuer, "--Latchkey:Import", tenantFile, "--Latchkey:SeedDevelopmentTenant", "false"];

        // Logins go through an in-process node (the login driver needs one); the refresh load goes to the processes.
        await using var loginNode = await ClusterTests.StartNodeAsync(database);
        var logA = new ConcurrentQueue<string>();
        var logB = new ConcurrentQueue<string>();
        var portA = LatchkeyTestServer.FreePort();
        var nodeA = await ServerProcess.StartAsync(portA, logA, cluster);
        await using var nodeB = await ServerProcess.StartAsync(LatchkeyTestServer.FreePort(), logB, cluster);
        using var clientA = new HttpClient { BaseAddress = nodeA.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var clientB = new HttpClient { BaseAddress = nodeB.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

        var secrets = new ConcurrentBag<string> { ProtocolTenant.UserPassword, ProtocolTenant.M2mSecret, ProtocolTenant.WebSecret };
        var tokens = new string[Families];
        for (var i = 0; i < Families; i++)
        {
            var body = await new CodeFlow { ClientId = ProtocolTenant.LeewayClient }.RunAsync(loginNode);
            tokens[i] = (string)body["refresh_token"]!;
            secrets.Add(tokens[i]);
            secrets.Add((string)body["access_token"]!);
        }

        var ledger = new Ledger();
        var nodeAUp = 1;
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var workers = Enumerable.Range(0, Families).Select(family => Task.Run(async () =>
        {
            for (var i = 0; i < 2_000 && !stop.IsCancellationRequested; i++)
            {
                var viaA = Volatile.Read(ref nodeAUp) == 1;
                Interlocked.Increment(ref ledger.Sent);
                JsonObject? answer;
                try
                {
                    answer = await RefreshAsync(viaA ? clientA : clientB, tokens[family], ledger);
                }
                catch (HttpRequestException) when (viaA)
                {
                    // A died with the request in flight: the answer is lost, not the rotation. Retry on B.
                    Interlocked.Increment(ref ledger.Unanswered);
                    answer = await RefreshAsync(clientB, tokens[family], ledger);
                    Interlocked.Increment(ref ledger.RetriedOnB);
                }

                if (answer is null)
                {
                    return;
                }

                tokens[family] = (string)answer["refresh_token"]!;
                secrets.Add(tokens[family]);
                secrets.Add((string)answer["access_token"]!);
                Interlocked.Increment(ref ledger.Acknowledged);
            }
        })).ToList();

        await Eventually.PollAsync(() => Task.FromResult(Volatile.Read(ref ledger.Acknowledged)), n => n >= 30, TimeSpan.FromMinutes(2));
        await nodeA.KillAsync();
        Volatile.Write(ref nodeAUp, 0);
        var atKill = Volatile.Read(ref ledger.Acknowledged);
        await Eventually.PollAsync(() => Task.FromResult(Volatile.Read(ref ledger.Acknowledged)), n => n >= atKill + 30, TimeSpan.FromMinutes(2));

        var restart = Stopwatch.StartNew();
        await using var nodeAAgain = await ServerProcess.StartAsync(portA, logA, cluster);
        output.WriteLine($"node A restarted and ready in {restart.ElapsedMilliseconds} ms");
        Volatile.Write(ref nodeAUp, 1);
        var atRestart = Volatile.Read(ref ledger.Acknowledged);
        await Eventually.PollAsync(() => Task.FromResult(Volatile.Read(ref ledger.Acknowledged)), n => n >= atRestart + 30, TimeSpan.FromMinutes(2));
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        // Every family's last acknowledged refresh token still works, on either node.
        for (var i = 0; i < Families; i++)
        {
            await RefreshAsync(i % 2 == 0 ? clientA : clientB, tokens[i], ledger);
        }

        output.WriteLine($"ledger: sent {ledger.Sent}, acknowledged {ledger.Acknowledged}, unanswered by A when killed {ledger.Unanswered} (retried on B: {ledger.RetriedOnB}), lost {ledger.Lost}");
        Assert.Equal(0, ledger.Lost);
        Assert.True(ledger.Acknowledged >= atRestart + 30);

        var lines = logA.Concat(logB).Where(l => l.Length > 0).ToList();
        Assert.NotEmpty(lines);
        Assert.All(lines, line => JsonDocument.Parse(line).Dispose());
        var leaked = secrets.Distinct().Where(s => lines.Any(l => l.Contains(s, StringComparison.Ordinal))).ToList();
        Assert.Empty(leaked);
    }

    /// <summary>The new tokens on 200; null (counted as lost) when a token the client holds is refused.</summary>
    private static async Task<JsonObject?> RefreshAsync(HttpClient client, string refreshToken, Ledger ledger)
    {
        using var response = await CodeFlow.RefreshAsync(client, ProtocolTenant.LeewayClient, refreshToken);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            return await response.ReadJsonObjectAsync();
        }

        Interlocked.Increment(ref ledger.Lost);
        return null;
    }

    private sealed class Ledger
    {
        public int Sent;
        public int Acknowledged;
        public int Unanswered;
        public int RetriedOnB;
        public int Lost;
    }
}
