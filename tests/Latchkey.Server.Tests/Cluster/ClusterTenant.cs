using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Protocol;

namespace Latchkey.Server.Tests.Cluster;

/// <summary>
/// The protocol tests' tenant, served by several nodes behind one issuer (the load balancer's address), plus a
/// Management API grant for the M2M application so tests can rotate keys through <c>/api/v2</c>.
/// </summary>
internal static class ClusterTenant
{
    public const string Issuer = "http://latchkey.cluster.test/";
    public const string ManagementAudience = Issuer + "api/v2/";

    public static string Json { get; } = Build();

    private static string Build()
    {
        var tenant = JsonNode.Parse(ProtocolTenant.Json)!.AsObject();
        tenant["client_grants"]!.AsArray().Add(new JsonObject
        {
            ["client_id"] = ProtocolTenant.M2mClient,
            ["audience"] = ManagementAudience,
            ["scope"] = new JsonArray("read:users", "read:logs", "read:signing_keys", "create:signing_keys", "update:signing_keys"),
        });
        return tenant.ToJsonString();
    }
}
