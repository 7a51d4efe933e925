using System.Net;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Protocol;

namespace Latchkey.Server.Tests.Actions;

/// <summary>credentials-exchange Actions on client_credentials tokens, over real HTTP.</summary>
public sealed class CredentialsExchangeActionTests
{
    private const string Code = """
        exports.onExecuteCredentialsExchange = async (event, api) => {
          if (event.resource_server.identifier === 'https://plain.example.com') {
            api.access.deny('invalid_request', 'Plain is closed to ' + event.client.name);
            return;
          }
          api.accessToken.setCustomClaim('https://example.com/tier', event.secrets.TIER);
          api.accessToken.setCustomClaim('https://example.com/scopes', event.accessToken.scope);
          api.accessToken.setCustomClaim('gty', 'password');
        };
        """;

    [Fact]
    public async Task CredentialsExchange_ActionAddsClaim_M2mTokenCarriesItAndProtectedClaimsStay()
    {
        await using var server = await LatchkeyTestServer.StartAsync(ActionTenant.Json(
            new ActionSpec("m2m-claims", Code, "credentials-exchange") { Secrets = new Dictionary<string, string> { ["TIER"] = "gold" } }));
        using var client = server.CreateClient();

        var response = await client.ClientCredentialsAsync(ProtocolTenant.M2mClient, ProtocolTenant.M2mSecret, ProtocolTenant.Api, "read:messages");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (_, payload) = TokenClient.Decode((string)(await response.ReadJsonObjectAsync())["access_token"]!);
        Assert.Equal("gold", (string?)payload["https://example.com/tier"]);
        Assert.Equal(["read:messages"], TokenClient.Strings(payload["https://example.com/scopes"]));
        Assert.Equal("client-credentials", (string?)payload["gty"]);
        Assert.Equal("m2m@clients", (string?)payload["sub"]);
    }

    [Fact]
    public async Task CredentialsExchange_ActionDenies_TokenEndpointAnswersTheCodeAndReason()
    {
        await using var server = await LatchkeyTestServer.StartAsync(ActionTenant.Json(
            new ActionSpec("m2m-claims", Code, "credentials-exchange") { Secrets = new Dictionary<string, string> { ["TIER"] = "gold" } }));
        using var client = server.CreateClient();

        var response = await client.ClientCredentialsAsync(ProtocolTenant.M2mClient, ProtocolTenant.M2mSecret, ProtocolTenant.PlainApi);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.ReadJsonObjectAsync();
        Assert.Equal("invalid_request", (string?)body["error"]);
        Assert.Equal("Plain is closed to M2M", (string?)body["error_description"]);
    }
}
