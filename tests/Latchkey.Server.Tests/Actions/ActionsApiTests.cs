using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Management;
using Latchkey.Server.Tests.Protocol;

namespace Latchkey.Server.Tests.Actions;

/// <summary>The Management API's Actions endpoints over real HTTP, with a real client_credentials token.</summary>
public sealed class ActionsApiTests
{
    private const string Secret = "v3ry-s3cret-value-42";

    private const string Code = """
        exports.onExecutePostLogin = async (event, api) => {
          api.idToken.setCustomClaim('https://example.com/key', event.secrets.KEY.length);
          api.accessToken.addScope('write:messages');
        };
        """;

    [Fact]
    public async Task ActionsApi_CreateDeployBind_NextLoginRunsItAndSecretsAreNeverReturned()
    {
        await using var server = await StartAsync();
        using var api = await ClientAsync(server);

        var created = await api.PostAsJsonAsync("api/v2/actions/actions", new JsonObject
        {
            ["name"] = "key-length",
            ["code"] = Code,
            ["supported_triggers"] = new JsonArray(new JsonObject { ["id"] = "post-login", ["version"] = "v3" }),
            ["secrets"] = new JsonArray(new JsonObject { ["name"] = "KEY", ["value"] = Secret }),
        });
        var createdText = await created.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.DoesNotContain(Secret, createdText, StringComparison.Ordinal);
        var action = JsonNode.Parse(createdText)!.AsObject();
        var id = (string)action["id"]!;
        Assert.Equal("KEY", (string?)action["secrets"]![0]!["name"]);
        Assert.False((bool)action["all_changes_deployed"]!);

        var deployed = await api.PostAsync($"api/v2/actions/actions/{id}/deploy", null);
        Assert.Equal(HttpStatusCode.OK, deployed.StatusCode);
        Assert.Equal(1, (int)(await deployed.ReadJsonObjectAsync())["number"]!);

        var bound = await api.PatchAsJsonAsync("api/v2/actions/triggers/post-login/bindings", new JsonObject
        {
            ["bindings"] = new JsonArray(new JsonObject { ["ref"] = new JsonObject { ["type"] = "action_name", ["value"] = "key-length" }, ["display_name"] = "Key length" }),
        });
        Assert.Equal(HttpStatusCode.OK, bound.StatusCode);

        var tokens = await new CodeFlow().RunAsync(server);
        Assert.Equal(Secret.Length, (int)TokenClient.Decode((string)tokens["id_token"]!).Payload["https://example.com/key"]!);
        Assert.Contains("write:messages", (string?)TokenClient.Decode((string)tokens["access_token"]!).Payload["scope"], StringComparison.Ordinal);

        var read = await api.GetStringAsync($"api/v2/actions/actions/{id}");
        var list = await api.GetStringAsync("api/v2/actions/actions?triggerId=post-login");
        var bindings = JsonNode.Parse(await api.GetStringAsync("api/v2/actions/triggers/post-login/bindings"))!;
        Assert.DoesNotContain(Secret, read + list + bindings.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(1, (int)JsonNode.Parse(list)!["total"]!);
        Assert.Equal("Key length", (string?)bindings["bindings"]![0]!["display_name"]);
        Assert.Equal(id, (string?)bindings["bindings"]![0]!["action"]!["id"]);

        var refused = await api.DeleteAsync($"api/v2/actions/actions/{id}");
        var deleted = await api.DeleteAsync($"api/v2/actions/actions/{id}?force=true");
        var after = await new CodeFlow().RunAsync(server);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Null(TokenClient.Decode((string)after["id_token"]!).Payload["https://example.com/key"]);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"api/v2/actions/actions/{id}")).StatusCode);
    }

    [Fact]
    public async Task ActionsApi_CodeThatDoesNotCompileOrRequiresAModule_RefusedWithLineAndModule()
    {
        await using var server = await StartAsync();
        using var api = await ClientAsync(server);

        var broken = await api.PostAsJsonAsync("api/v2/actions/actions", Action("broken", "exports.onExecutePostLogin = async () => {\n  return (;\n};"));
        var module = await api.PostAsJsonAsync("api/v2/actions/actions", Action("module", "const _ = require('lodash');\nexports.onExecutePostLogin = async () => {};"));
        var dependency = await api.PostAsJsonAsync("api/v2/actions/actions", new JsonObject
        {
            ["name"] = "dependency",
            ["code"] = "exports.onExecutePostLogin = async () => {};",
            ["supported_triggers"] = new JsonArray(new JsonObject { ["id"] = "post-login" }),
            ["dependencies"] = new JsonArray(new JsonObject { ["name"] = "axios", ["version"] = "1.6.0" }),
        });

        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Contains("does not compile: line 2, column 11", (string?)(await broken.ReadJsonObjectAsync())["message"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, module.StatusCode);
        Assert.Contains("require('lodash') is not available", (string?)(await module.ReadJsonObjectAsync())["message"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, dependency.StatusCode);
        Assert.Contains("the module \"axios\" cannot be installed", (string?)(await dependency.ReadJsonObjectAsync())["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ActionsApi_TestWithAnEvent_ReturnsTheDecisionsAndLogs()
    {
        await using var server = await StartAsync();
        using var api = await ClientAsync(server);
        var created = await api.PostAsJsonAsync("api/v2/actions/actions", Action("tested", """
            exports.onExecutePostLogin = async (event, api) => {
              console.log('hello', event.user.email);
              api.accessToken.setCustomClaim('https://example.com/plan', event.user.app_metadata.plan);
              if (event.user.app_metadata.plan !== 'gold') api.access.deny('gold only');
            };
            """));
        var id = (string)(await created.ReadJsonObjectAsync())["id"]!;

        var response = await api.PostAsJsonAsync($"api/v2/actions/actions/{id}/test", new JsonObject
        {
            ["payload"] = new JsonObject { ["user"] = new JsonObject { ["email"] = "x@example.com", ["app_metadata"] = new JsonObject { ["plan"] = "silver" } } },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var payload = (await response.ReadJsonObjectAsync())["payload"]!;
        Assert.Equal("silver", (string?)payload["access_token_claims"]!["https://example.com/plan"]);
        Assert.Equal("gold only", (string?)payload["access_denied"]!["reason"]);
        Assert.Equal("[tested] hello x@example.com", (string?)payload["logs"]![0]);
        Assert.Null(payload["error"]);
    }

    [Fact]
    public async Task ActionsApi_TriggersAndScopes_ListsBothTriggersAndRefusesAReadOnlyTokenWrites()
    {
        await using var server = await StartAsync();
        using var api = await ClientAsync(server);
        using var reader = server.CreateClient();
        reader.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            ManagementTokens.Mint(server, "reader@clients", "read:actions", client: true));

        var triggers = JsonNode.Parse(await api.GetStringAsync("api/v2/actions/triggers"))!;
        var write = await reader.PostAsJsonAsync("api/v2/actions/actions", Action("nope", "exports.onExecutePostLogin = async () => {};"));

        Assert.Equal(["post-login", "credentials-exchange"], triggers["triggers"]!.AsArray().Select(t => (string)t!["id"]!));
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("api/v2/actions/actions")).StatusCode);
    }

    private static JsonObject Action(string name, string code) => new()
    {
        ["name"] = name,
        ["code"] = code,
        ["supported_triggers"] = new JsonArray(new JsonObject { ["id"] = "post-login", ["version"] = "v3" }),
    };

    private static Task<LatchkeyTestServer> StartAsync()
    {
        var tenant = JsonNode.Parse(ActionTenant.Json())!.AsObject();
        tenant["client_grants"]!.AsArray().Add(new JsonObject
        {
            ["client_id"] = ProtocolTenant.M2mClient,
            ["audience"] = ManagementTenant.Audience,
            ["scope"] = new JsonArray("read:actions", "create:actions", "update:actions", "delete:actions"),
        });
        return LatchkeyTestServer.StartAsync(tenant.ToJsonString(), "--Latchkey:Issuer", ManagementTenant.Issuer);
    }

    private static async Task<HttpClient> ClientAsync(LatchkeyTestServer server)
    {
        var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            await ManagementTokens.ClientCredentialsAsync(server, ProtocolTenant.M2mClient, ProtocolTenant.M2mSecret));
        return client;
    }
}
