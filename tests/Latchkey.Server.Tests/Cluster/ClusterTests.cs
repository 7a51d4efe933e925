using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Persistence;
using Latchkey.Server.Tests.Protocol;
using Xunit.Abstractions;

namespace Latchkey.Server.Tests.Cluster;

/// <summary>
/// Two nodes on one PostgreSQL database (security catalogue §4, R-MN-2 and R-MN-4): what one node changes or consumes,
/// the other sees.
/// </summary>
public sealed class ClusterTests(ITestOutputHelper output)
{
    [Fact]
    [Trait("Rule", "DISC-5")]
    public async Task KeyRotation_ThroughNodeA_PublishedByNodeBAndItsManagementApiAcceptsTheNewKey()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var nodeA = await StartNodeAsync(database);
        await using var nodeB = await StartNodeAsync(database);
        using var clientA = nodeA.CreateClient();
        using var clientB = nodeB.CreateClient();
        var before = await KeyRotationTests.KidsAsync(clientB);

        var clock = Stopwatch.StartNew();
        using var rotate = new HttpRequestMessage(HttpMethod.Post, "api/v2/keys/signing/rotate");
        rotate.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await ManagementTokenAsync(clientA));
        var rotated = await clientA.SendAsync(rotate);
        Assert.Equal(HttpStatusCode.Created, rotated.StatusCode);
        var newKid = (string)(await rotated.ReadJsonObjectAsync())["kid"]!;
        var answeredAfter = clock.ElapsedMilliseconds;
        Assert.Equal(before[1], newKid);
        // The rotation moves the tenant version, which node B polls twice a second, then B re-reads the key rows; the
        // deadline is wide for a loaded machine, and the measured time is reported rather than asserted (no timing in tests).
        var atB = await Eventually.PollAsync(() => KeyRotationTests.KidsAsync(clientB), kids => kids[0] == newKid, TimeSpan.FromSeconds(30));
        output.WriteLine($"node A answered the rotation after {answeredAfter} ms; node B published it {clock.ElapsedMilliseconds - answeredAfter} ms later ({clock.ElapsedMilliseconds} ms in all)");

        Assert.Equal(newKid, atB[0]);
        Assert.Contains(before[0], atB);
        var tokenFromA = await ManagementTokenAsync(clientA);
        Assert.Equal(newKid, (string)TokenClient.Decode(tokenFromA).Header["kid"]!);
        Assert.Equal(HttpStatusCode.NotFound, await KeyRotationTests.ManagementStatusAsync(clientB, tokenFromA));
    }

    [Fact]
    [Trait("Rule", "CODE-3")]
    [Trait("Rule", "RT-9")]
    public async Task SameCodeAndSameRefreshToken_OnBothNodesAtOnce_NeverTwoSuccesses()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var nodeA = await StartNodeAsync(database);
        await using var nodeB = await StartNodeAsync(database);
        using var clientA = nodeA.CreateClient();
        using var clientB = nodeB.CreateClient();

        for (var round = 0; round < 3; round++)
        {
            var flow = new CodeFlow();
            using var browser = nodeA.CreateClient(new CookieContainer());
            var code = await flow.GetCodeAsync(nodeA, browser);

            var redeemed = await Task.WhenAll(flow.RedeemAsync(clientA, code), flow.RedeemAsync(clientB, code));

            Assert.Single(redeemed, r => r.StatusCode == HttpStatusCode.OK);
            var refreshToken = (string)(await redeemed.Single(r => r.StatusCode == HttpStatusCode.OK).ReadJsonObjectAsync())["refresh_token"]!;

            var refreshed = await Task.WhenAll(
                CodeFlow.RefreshAsync(clientA, flow.ClientId, refreshToken), CodeFlow.RefreshAsync(clientB, flow.ClientId, refreshToken));

            // RT-9, strict rotation (no reuse interval): never two successes, and a loser is invalid_grant. Exactly one
            // success is not asserted here: with both requests truly simultaneous, both sometimes lose (issue 13, "refresh
            // race across nodes"; 2 runs in 3 on a loaded machine), which is safe but costs the user a login. The
            // interleaving that is fixed is pinned deterministically by RefreshToken_RedeemedOnBWhileAIsRotating_….
            var answers = string.Join(" | ", await Task.WhenAll(refreshed.Select(async r => $"{(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}")));
            Assert.True(refreshed.Count(r => r.StatusCode == HttpStatusCode.OK) <= 1, answers);
            Assert.All(refreshed.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        }
    }

    /// <summary>
    /// The interleaving that used to leave nobody with a token, forced: node A has claimed the refresh token and is
    /// paused before it issues the successor when node B receives the same token. B must lose without revoking the
    /// family, so A's answer carries a refresh token that works.
    /// </summary>
    [Fact]
    [Trait("Rule", "RT-9")]
    public async Task RefreshToken_RedeemedOnBWhileAIsRotating_BLosesAndTheWinnersTokenWorks()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var pause = new PauseAfterRefreshClaim();
        await using var nodeA = await LatchkeyTestServer.StartWithServicesAsync(ClusterTenant.Json, pause.Register, NodeArgs(database));
        await using var nodeB = await StartNodeAsync(database);
        using var clientA = nodeA.CreateClient();
        using var clientB = nodeB.CreateClient();
        var flow = new CodeFlow();
        using var browser = nodeA.CreateClient(new CookieContainer());
        var first = await flow.RedeemAsync(clientB, await flow.GetCodeAsync(nodeA, browser));
        var refreshToken = (string)(await first.ReadJsonObjectAsync())["refresh_token"]!;

        pause.Armed = true;
        var atA = CodeFlow.RefreshAsync(clientA, flow.ClientId, refreshToken);
        await pause.Reached.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var atB = await CodeFlow.RefreshAsync(clientB, flow.ClientId, refreshToken);
        pause.Release.SetResult();
        var winner = await atA;

        Assert.Equal(HttpStatusCode.BadRequest, atB.StatusCode);
        Assert.Equal("invalid_grant", (string)(await atB.ReadJsonObjectAsync())["error"]!);
        var body = await winner.ReadJsonObjectAsync();
        Assert.True(winner.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        var next = await CodeFlow.RefreshAsync(clientB, flow.ClientId, (string)body["refresh_token"]!);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    internal static Task<LatchkeyTestServer> StartNodeAsync(PostgresDatabase database) =>
        LatchkeyTestServer.StartAsync(ClusterTenant.Json, NodeArgs(database));

    private static string[] NodeArgs(PostgresDatabase database) =>
        ["--ConnectionStrings:Latchkey", database.ConnectionString, "--Latchkey:Issuer", ClusterTenant.Issuer];

    private static async Task<string> ManagementTokenAsync(HttpClient client)
    {
        var response = await client.ClientCredentialsAsync(ProtocolTenant.M2mClient, ProtocolTenant.M2mSecret, ClusterTenant.ManagementAudience);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (string)(await response.ReadJsonObjectAsync())["access_token"]!;
    }
}
