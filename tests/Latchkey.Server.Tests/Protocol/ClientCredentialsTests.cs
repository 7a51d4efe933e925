using System.Net;

namespace Latchkey.Server.Tests.Protocol;

public sealed class ClientCredentialsTests(ProtocolServerFixture fixture) : IClassFixture<ProtocolServerFixture>
{
    [Fact]
    public async Task ClientCredentials_GrantedAudienceForm_IssuesAuth0ShapedAccessToken()
    {
        using var client = fixture.Server.CreateClient();

        var response = await client.ClientCredentialsAsync(ProtocolTenant.M2mClient, ProtocolTenant.M2mSecret, ProtocolTenant.Api);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonObjectAsync();
        Assert.Equal("Bearer", (string?)body["token_type"]);
        Assert.InRange((int)body["expires_in"]!, 3590, 3600);
        Assert.Null(body["refresh_token"]);
        Assert.Null(body["id_token"]);
        var (header, payload) = TokenClient.Decode((string)body["access_token"]!);
        Assert.Equal("RS256", (string?)header["alg"]);
        Assert.Equal("at+jwt", (string?)header["typ"]);
        Assert.False(string.IsNullOrEmpty((string?)header["kid"]));
        Assert.Equal(fixture.Server.Issuer, (string?)payload["iss"]);
        Assert.Equal("m2m@clients", (string?)payload["sub"]);
        Assert.Equal(ProtocolTenant.Api, (string?)payload["aud"]);
        Assert.Equal("m2m", (string?)payload["azp"]);
        Assert.Equal("m2m", (string?)payload["client_id"]);
        Assert.Equal("client-credentials", (string?)payload["gty"]);
        Assert.Equal("read:messages write:messages", (string?)payload["scope"]);
        Assert.Equal(["read:messages", "write:messages"], TokenClient.Strings(payload["permissions"]));
        Assert.Equal(3600, (long)payload["exp"]! - (long)payload["iat"]!);
        Assert.False(string.IsNullOrEmpty((string?)payload["jti"]));
        Assert.DoesNotContain(payload, claim => claim.Key.StartsWith("oi_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ClientCredentials_TwoAudiences_RefusedAsRepeatedParameterEvenWhenBothGranted()
    {
        using var client = fixture.Server.CreateClient();

        var response = await client.PostFormAsync("oauth/token",
            ("grant_type", "client_credentials"), ("client_id", ProtocolTenant.M2mClient), ("client_secret", ProtocolTenant.M2mSecret),
            ("audience", ProtocolTenant.Api), ("audience", ProtocolTenant.PlainApi));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.ReadJsonObjectAsync();
        Assert.Equal("invalid_request", (string?)body["error"]);
        Assert.Equal("The 'audience' parameter must not be repeated.", (string?)body["error_description"]);
    }

    [Fact]
    public async Task ClientCredentials_ScopeSubset_NarrowsScopeAndPermissionsStayAnArray()
    {
        using var client = fixture.Server.CreateClient();

        var response = await client.ClientCredentialsAsync(ProtocolTenant.M2mClient, ProtocolTenant.M2mSecret, ProtocolTenant.Api, "read:messages delete:everything");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (_, payload) = TokenClient.Decode((string)(await response.ReadJsonObjectAsync())["access_token"]!);
        Assert.Equal("read:messages", (string?)payload["scope"]);
        Assert.IsType<System.Text.Json.Nodes.JsonArray>(payload["permissions"]);
        Assert.Equal(["read:messages"], TokenClient.Strings(payload["permissions"]));
    }

    [Fact]
    public async Task ClientCredentials_ApiWithoutRbac_HasNoPermissionsClaimAndApiLifetime()
    {
        using var client = fixture.Server.CreateClient();

        var response = await client.ClientCredentialsAsync(ProtocolTenant.M2mClient, ProtocolTenant.M2mSecret, ProtocolTenant.PlainApi);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonObjectAsync();
        Assert.InRange((int)body["expires_in"]!, 590, 600);
        var (_, payload) = TokenClient.Decode((string)body["access_token"]!);
        Assert.Null(payload["permissions"]);
        Assert.Equal(ProtocolTenant.PlainApi, (string?)payload["aud"]);
    }

    [Fact]
    public async Task ClientCredentials_JsonBody_IsAccepted()
    {
        using var client = fixture.Server.CreateClient();

        var response = await client.PostJsonAsync("oauth/token",
            ("grant_type", "client_credentials"), ("client_id", ProtocolTenant.M2mClient),
            ("client_secret", ProtocolTenant.M2mSecret), ("audience", ProtocolTenant.Api));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull((await response.ReadJsonObjectAsync())["access_token"]);
    }

    [Fact]
    public async Task ClientCredentials_BasicAuthentication_IsAccepted()
    {
        using var client = fixture.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "oauth/token")
        {
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials"), new("audience", ProtocolTenant.Api)]),
        };
        request.Headers.Authorization = TokenClient.Basic(ProtocolTenant.M2mClient, ProtocolTenant.M2mSecret);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ClientCredentials_WrongSecret_Is401InvalidClientWithWwwAuthenticate()
    {
        using var client = fixture.Server.CreateClient();

        var response = await client.ClientCredentialsAsync(ProtocolTenant.M2mClient, "wrong-secret-0123456789", ProtocolTenant.Api);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotEmpty(response.Headers.WwwAuthenticate);
        var body = await response.ReadJsonObjectAsync();
        Assert.Equal("invalid_client", (string?)body["error"]);
        Assert.False(string.IsNullOrEmpty((string?)body["error_description"]));
        Assert.Null(body["error_uri"]);
    }

    [Fact]
    public async Task ClientCredentials_SecretInBasicAndBody_IsInvalidRequest()
    {
        using var client = fixture.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "oauth/token")
        {
            Content = new FormUrlEncodedContent([
                new("grant_type", "client_credentials"), new("audience", ProtocolTenant.Api),
                new("client_id", ProtocolTenant.M2mClient), new("client_secret", ProtocolTenant.M2mSecret)]),
        };
        request.Headers.Authorization = TokenClient.Basic(ProtocolTenant.M2mClient, ProtocolTenant.M2mSecret);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", (string?)(await response.ReadJsonObjectAsync())["error"]);
    }

    [Fact]
    public async Task ClientCredentials_PasswordGrant_IsUnsupportedGrantType()
    {
        using var client = fixture.Server.CreateClient();

        var response = await client.PostFormAsync("oauth/token", ("grant_type", "password"), ("client_id", ProtocolTenant.M2mClient),
            ("client_secret", ProtocolTenant.M2mSecret), ("username", ProtocolTenant.UserEmail), ("password", ProtocolTenant.UserPassword));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("unsupported_grant_type", (string?)(await response.ReadJsonObjectAsync())["error"]);
    }

    [Fact]
    public async Task ClientCredentials_UnknownClient_Is401InvalidClient()
    {
        using var client = fixture.Server.CreateClient();

        var response = await client.ClientCredentialsAsync("nobody", "whatever-0123456789", ProtocolTenant.Api);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", (string?)(await response.ReadJsonObjectAsync())["error"]);
    }

    [Fact]
    public async Task ClientCredentials_NoClientGrant_Is403AccessDenied()
    {
        using var client = fixture.Server.CreateClient();

        var response = await client.ClientCredentialsAsync(ProtocolTenant.UngrantedM2mClient, ProtocolTenant.UngrantedM2mSecret, ProtocolTenant.Api);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = await response.ReadJsonObjectAsync();
        Assert.Equal("access_denied", (string?)body["error"]);
        Assert.StartsWith($"Client is not authorized to access \"{ProtocolTenant.Api}\"", (string?)body["error_description"]);
    }

    [Fact]
    public async Task ClientCredentials_NoAudience_Is403WithAuth0Description()
    {
        using var client = fixture.Server.CreateClient();

        var response = await client.ClientCredentialsAsync(ProtocolTenant.M2mClient, ProtocolTenant.M2mSecret, audience: null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = await response.ReadJsonObjectAsync();
        Assert.Equal("access_denied", (string?)body["error"]);
        Assert.Equal("No audience parameter was provided, and no default audience has been configured", (string?)body["error_description"]);
    }

    [Fact]
    public async Task ClientCredentials_UnknownAudience_Is403ServiceNotFound()
    {
        using var client = fixture.Server.CreateClient();

        var response = await client.ClientCredentialsAsync(ProtocolTenant.M2mClient, ProtocolTenant.M2mSecret, "https://unknown.example.com");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Service not found: https://unknown.example.com", (string?)(await response.ReadJsonObjectAsync())["error_description"]);
    }

    [Fact]
    public async Task ClientCredentials_PublicClient_IsRejected()
    {
        using var client = fixture.Server.CreateClient();

        var response = await client.PostFormAsync("oauth/token", ("grant_type", "client_credentials"), ("client_id", ProtocolTenant.SpaClient), ("audience", ProtocolTenant.Api));

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized);
        Assert.Null((await response.ReadJsonObjectAsync())["access_token"]);
    }

    [Fact]
    public async Task ClientCredentials_ResponseHeaders_AreNoStoreJson()
    {
        using var client = fixture.Server.CreateClient();

        var response = await client.ClientCredentialsAsync(ProtocolTenant.M2mClient, ProtocolTenant.M2mSecret, ProtocolTenant.Api);

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoStore);
    }
}
