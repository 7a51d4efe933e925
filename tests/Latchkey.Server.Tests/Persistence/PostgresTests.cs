using System.Net;
using Latchkey.Server.Tenants;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Protocol;
using Xunit.Abstractions;

namespace Latchkey.Server.Tests.Persistence;

/// <summary>
/// The same server on PostgreSQL, and two nodes sharing one PostgreSQL database: signing keys, the Data Protection
/// key ring, codes and refresh-token families live in the database, so any node can finish what another started.
/// </summary>
public sealed class PostgresTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Server_OnPostgres_CreatesSchemaAndIssuesClientCredentialsToken()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var server = await StartNodeAsync(database);
        using var client = server.CreateClient();

        var response = await client.ClientCredentialsAsync(ProtocolTenant.M2mClient, ProtocolTenant.M2mSecret, ProtocolTenant.Api);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (_, payload) = TokenClient.Decode((await response.ReadJsonObjectAsync())["access_token"]!.GetValue<string>());
        Assert.Equal(ProtocolTenant.Api, payload["aud"]!.GetValue<string>());
    }

    [Fact]
    public async Task TwoNodes_CodeFromOneRedeemedAtOther_SameKeysAndRotationAcrossNodes()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var nodeA = await StartNodeAsync(database);
        await using var nodeB = await StartNodeAsync(database);
        using var browserAtA = nodeA.CreateClient(new CookieContainer());
        using var apiAtB = nodeB.CreateClient();

        // Both nodes publish the same keys.
        var jwksA = await browserAtA.GetStringAsync(".well-known/jwks.json");
        var jwksB = await apiAtB.GetStringAsync(".well-known/jwks.json");
        Assert.Equal(jwksA, jwksB);

        // Log in and get a code at A, redeem it at B.
        var flow = new CodeFlow();
        var code = await flow.GetCodeAsync(nodeA, browserAtA);
        var redeemed = await flow.RedeemAsync(apiAtB, code);
        var tokens = await redeemed.ReadJsonObjectAsync();
        Assert.True(redeemed.StatusCode == HttpStatusCode.OK, tokens.ToJsonString());

        // Rotate at A; replaying the old refresh token at B fails with Auth0's text and revokes the family.
        var first = tokens["refresh_token"]!.GetValue<string>();
        var rotated = await CodeFlow.RefreshAsync(browserAtA, flow.ClientId, first);
        var rotatedBody = await rotated.ReadJsonObjectAsync();
        Assert.True(rotated.StatusCode == HttpStatusCode.OK, rotatedBody.ToJsonString());
        var second = rotatedBody["refresh_token"]!.GetValue<string>();

        var reuse = await CodeFlow.RefreshAsync(apiAtB, flow.ClientId, first);
        Assert.Equal(HttpStatusCode.BadRequest, reuse.StatusCode);
        Assert.Equal("Unknown or invalid refresh token.", (await reuse.ReadJsonObjectAsync())["error_description"]!.GetValue<string>());

        var afterRevocation = await CodeFlow.RefreshAsync(browserAtA, flow.ClientId, second);
        Assert.Equal(HttpStatusCode.BadRequest, afterRevocation.StatusCode);

        // The code is single-use across nodes.
        var replay = await flow.RedeemAsync(browserAtA, code);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Equal("invalid_grant", (await replay.ReadJsonObjectAsync())["error"]!.GetValue<string>());
    }

    /// <summary>
    /// A tenant write on one node (through <c>TenantWriter</c>, as every Management API write will be) is served by the
    /// other node within two seconds, with no request to the other node asking for it: the other node's watcher sees the
    /// tenant version move (issue 8). Both the new grant and its removal travel.
    /// </summary>
    [Fact]
    public async Task TwoNodes_TenantWrittenThroughOne_OtherServesItWithinTwoSeconds()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var nodeA = await StartNodeAsync(database);
        await using var nodeB = await StartNodeAsync(database);
        using var atB = nodeB.CreateClient();
        Assert.Equal(HttpStatusCode.Forbidden, (await atB.ClientCredentialsAsync(ProtocolTenant.UngrantedM2mClient, ProtocolTenant.UngrantedM2mSecret, ProtocolTenant.Api)).StatusCode);

        await Tenants.TenantWriterTests.WriteAsync(nodeA, db => db.Add(new ClientGrant { ClientId = ProtocolTenant.UngrantedM2mClient, Audience = ProtocolTenant.Api, Scope = ["read:messages"] }));
        var granted = await TimeUntilAsync(atB, HttpStatusCode.OK);
        await Tenants.TenantWriterTests.WriteAsync(nodeA, db => db.RemoveRange(db.Set<ClientGrant>().Where(g => g.ClientId == ProtocolTenant.UngrantedM2mClient)));
        var revoked = await TimeUntilAsync(atB, HttpStatusCode.Forbidden);

        output.WriteLine($"node B served the grant after {granted.TotalMilliseconds:F0} ms and its removal after {revoked.TotalMilliseconds:F0} ms");
        Assert.True(granted < TimeSpan.FromSeconds(2), $"node B served the new grant after {granted.TotalMilliseconds:F0} ms");
        Assert.True(revoked < TimeSpan.FromSeconds(2), $"node B still honoured the removed grant after {revoked.TotalMilliseconds:F0} ms");
    }

    /// <summary>How long after now node B first answers <paramref name="expected"/> for the formerly ungranted client.</summary>
    private static async Task<TimeSpan> TimeUntilAsync(HttpClient atB, HttpStatusCode expected)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(15))
        {
            using var response = await atB.ClientCredentialsAsync(ProtocolTenant.UngrantedM2mClient, ProtocolTenant.UngrantedM2mSecret, ProtocolTenant.Api);
            if (response.StatusCode == expected)
            {
                return clock.Elapsed;
            }

            await Task.Delay(25);
        }

        return clock.Elapsed;
    }

    /// <summary>Nodes of one cluster share the issuer (the address of the load balancer in front of them).</summary>
    private const string ClusterIssuer = "http://latchkey.cluster.test/";

    private static Task<LatchkeyTestServer> StartNodeAsync(PostgresDatabase database) =>
        LatchkeyTestServer.StartAsync(ProtocolTenant.Json, "--ConnectionStrings:Latchkey", database.ConnectionString, "--Latchkey:Issuer", ClusterIssuer);
}
