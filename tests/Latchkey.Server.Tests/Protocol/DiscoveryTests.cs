using System.Net;
using System.Text.Json.Nodes;

namespace Latchkey.Server.Tests.Protocol;

public sealed class DiscoveryTests(ProtocolServerFixture fixture) : IClassFixture<ProtocolServerFixture>
{
    [Fact]
    public async Task Discovery_Document_MatchesSnapshot()
    {
        using var client = fixture.Server.CreateClient();

        var document = await GetJsonAsync(client, ".well-known/openid-configuration");

        // The port changes per run; everything else is a contract.
        var normalized = JsonNode.Parse(document.ToJsonString().Replace(fixture.Server.Issuer, "{issuer}", StringComparison.Ordinal))!;
        Snapshot.Match(normalized, "discovery");
    }

    [Fact]
    public async Task Discovery_ReachedThroughAnotherHostName_BuildsEveryUrlFromTheIssuer()
    {
        using var client = fixture.Server.CreateClient();
        client.BaseAddress = new Uri(fixture.Server.Issuer.Replace("127.0.0.1", "localhost", StringComparison.Ordinal));

        var document = await GetJsonAsync(client, ".well-known/openid-configuration");

        Assert.Equal(fixture.Server.Issuer, (string?)document["issuer"]);
        foreach (var name in new[] { "authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri", "revocation_endpoint", "end_session_endpoint" })
        {
            Assert.StartsWith(fixture.Server.Issuer, (string?)document[name]);
        }

        Assert.Equal(fixture.Server.Issuer + "oauth/token", (string?)document["token_endpoint"]);
        Assert.Equal(fixture.Server.Issuer + ".well-known/jwks.json", (string?)document["jwks_uri"]);
    }

    [Fact]
    public async Task Discovery_Capabilities_AreS256OnlyRs256AndWebMessage()
    {
        using var client = fixture.Server.CreateClient();

        var document = await GetJsonAsync(client, ".well-known/openid-configuration");

        Assert.Equal(["S256"], TokenClient.Strings(document["code_challenge_methods_supported"]));
        Assert.Equal(["RS256"], TokenClient.Strings(document["id_token_signing_alg_values_supported"]));
        Assert.Contains("web_message", TokenClient.Strings(document["response_modes_supported"]));
        Assert.Contains("openid", TokenClient.Strings(document["scopes_supported"]));
        Assert.DoesNotContain("none", TokenClient.Strings(document["id_token_signing_alg_values_supported"]));
        Assert.DoesNotContain("private_key_jwt", TokenClient.Strings(document["token_endpoint_auth_methods_supported"]));
    }

    [Fact]
    public async Task Jwks_Keys_ArePublicRs256SigningKeysWithDistinctKids()
    {
        using var client = fixture.Server.CreateClient();

        var jwks = await GetJsonAsync(client, ".well-known/jwks.json");

        var keys = jwks["keys"]!.AsArray().Select(k => k!.AsObject()).ToList();
        Assert.NotEmpty(keys);
        Assert.Equal(keys.Count, keys.Select(k => (string?)k["kid"]).Distinct().Count());
        foreach (var key in keys)
        {
            Assert.Equal("RSA", (string?)key["kty"]);
            Assert.Equal("sig", (string?)key["use"]);
            Assert.Equal("RS256", (string?)key["alg"]);
            Assert.False(string.IsNullOrEmpty((string?)key["n"]));
            Assert.Equal("AQAB", (string?)key["e"]);
            foreach (var secret in new[] { "d", "p", "q", "dp", "dq", "qi" })
            {
                Assert.Null(key[secret]);
            }
        }

        // Two keys from the first start: the current one and the next one, published before it signs (DISC-5).
        var shape = new JsonArray(keys.Select(k => (JsonNode)new JsonArray(k.Select(p => (JsonNode)p.Key).ToArray())).ToArray());
        Snapshot.Match(shape, "jwks-shape");
    }

    [Fact]
    public async Task Jwks_AccessTokenKid_IsPublished()
    {
        using var client = fixture.Server.CreateClient();
        var token = await client.ClientCredentialsAsync(ProtocolTenant.M2mClient, ProtocolTenant.M2mSecret, ProtocolTenant.Api);
        var (header, _) = TokenClient.Decode((string)(await token.ReadJsonObjectAsync())["access_token"]!);

        var jwks = await GetJsonAsync(client, ".well-known/jwks.json");

        Assert.Contains((string?)header["kid"], jwks["keys"]!.AsArray().Select(k => (string?)k!["kid"]));
    }

    private static async Task<JsonObject> GetJsonAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return await response.ReadJsonObjectAsync();
    }
}
