using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Protocol;

namespace Latchkey.Server.Tests.Management;

/// <summary>
/// The protocol tests' tenant (<see cref="ProtocolTenant"/>: APIs, SPA, web and M2M applications, alice) plus
/// <see cref="ManagementTenant"/>'s administrator application, for tests that drive the protocol and the Management
/// API on one server. Start it with <c>--Latchkey:Issuer</c> <see cref="ManagementTenant.Issuer"/>.
/// </summary>
internal static class AdminTenant
{
    public static readonly string Json = Build();

    private static string Build()
    {
        var tenant = JsonNode.Parse(ProtocolTenant.Json)!;
        tenant["clients"]!.AsArray().Add(JsonNode.Parse($$"""
            { "client_id": "{{ManagementTenant.AdminClient}}", "client_secret": "{{ManagementTenant.AdminSecret}}", "name": "Admin", "app_type": "non_interactive" }
            """));
        tenant["client_grants"]!.AsArray().Add(JsonNode.Parse($$"""
            { "client_id": "{{ManagementTenant.AdminClient}}", "audience": "{{ManagementTenant.Audience}}", "scope": [ "read:users", "update:users" ] }
            """));
        return tenant.ToJsonString();
    }
}
