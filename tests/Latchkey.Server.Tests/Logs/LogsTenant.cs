using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Management;
using Latchkey.Server.Tests.Persistence;
using Latchkey.Server.Tests.Protocol;

namespace Latchkey.Server.Tests.Logs;

/// <summary>
/// The protocol tests' tenant (<see cref="ProtocolTenant"/>) plus an administrator application that may read the tenant
/// log and users and update users, on the issuer <see cref="ManagementTenant.Issuer"/>, and helpers to read the log
/// over <c>GET /api/v2/logs</c> (entries are written in the background, so reads poll).
/// </summary>
internal static class LogsTenant
{
    public static readonly string Json = Build();

    public static Task<LatchkeyTestServer> StartAsync(params string[] extraArgs) =>
        LatchkeyTestServer.StartAsync(Json, ["--Latchkey:Issuer", ManagementTenant.Issuer, .. extraArgs]);

    public static Task<LatchkeyTestServer> StartAsync(PostgresDatabase? database, params string[] extraArgs) =>
        database is null ? StartAsync(extraArgs) : StartAsync(["--ConnectionStrings:Latchkey", database.ConnectionString, .. extraArgs]);

    /// <summary>An HTTP client carrying a client_credentials token of the administrator application.</summary>
    public static async Task<HttpClient> AdminAsync(LatchkeyTestServer server)
    {
        var token = await ManagementTokens.ClientCredentialsAsync(server, ManagementTenant.AdminClient, ManagementTenant.AdminSecret);
        var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Polls <c>GET /api/v2/logs?q=…</c> until an entry matches, and returns it (fails after a wide margin).</summary>
    public static async Task<JsonObject> WaitForAsync(HttpClient admin, string q, Func<JsonObject, bool>? match = null)
    {
        var entries = await Eventually.PollAsync(
            async () => await ReadAsync(admin, "api/v2/logs?per_page=100&q=" + Uri.EscapeDataString(q)),
            list => list.Any(e => match?.Invoke(e) ?? true),
            TimeSpan.FromSeconds(20));
        return entries.FirstOrDefault(e => match?.Invoke(e) ?? true)
            ?? throw new Xunit.Sdk.XunitException($"no log entry for q={q}; found: {new JsonArray([.. entries.Select(e => e.DeepClone())]).ToJsonString()}");
    }

    public static async Task<List<JsonObject>> ReadAsync(HttpClient admin, string url)
    {
        using var response = await admin.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {body}");
        return [.. JsonNode.Parse(body)!.AsArray().Select(n => n!.AsObject())];
    }

    private static string Build()
    {
        var tenant = JsonNode.Parse(ProtocolTenant.Json)!;
        tenant["clients"]!.AsArray().Add(JsonNode.Parse($$"""
            { "client_id": "{{ManagementTenant.AdminClient}}", "client_secret": "{{ManagementTenant.AdminSecret}}", "name": "Admin", "app_type": "non_interactive" }
            """));
        tenant["client_grants"]!.AsArray().Add(JsonNode.Parse($$"""
            { "client_id": "{{ManagementTenant.AdminClient}}", "audience": "{{ManagementTenant.Audience}}", "scope": [ "read:users", "update:users", "read:logs" ] }
            """));
        return tenant.ToJsonString();
    }
}
