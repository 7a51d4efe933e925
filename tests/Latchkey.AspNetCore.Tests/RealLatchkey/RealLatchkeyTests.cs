using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Latchkey.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace Latchkey.AspNetCore.Tests.RealLatchkey;

/// <summary>
/// samples/api against a real Latchkey: client_credentials and user-login tokens reach the protected endpoints,
/// the scope rule refuses a token without read:messages, and express-oauth2-jwt-bearer decides the same on each token.
/// </summary>
public sealed class RealLatchkeyTests(RealLatchkeyFixture fixture) : IClassFixture<RealLatchkeyFixture>
{
    [Fact]
    public async Task ClientCredentials_ReadMessagesGranted_ReachesEveryEndpoint()
    {
        var token = await ClientCredentialsAsync(RealLatchkeyFixture.Reader, RealLatchkeyFixture.ReaderSecret, RealLatchkeyFixture.Api);
        foreach (var path in new[] { "api/private", "api/external", "api/private-scoped" })
        {
            using var response = await GetAsync(fixture.Sample.Address, path, token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.False(string.IsNullOrEmpty(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString()));
        }
    }

    [Fact]
    public async Task ClientCredentials_WithoutReadMessages_PrivateScopedRefused403()
    {
        var token = await ClientCredentialsAsync(RealLatchkeyFixture.Writer, RealLatchkeyFixture.WriterSecret, RealLatchkeyFixture.Api);
        using var ok = await GetAsync(fixture.Sample.Address, "api/private", token);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        using var refused = await GetAsync(fixture.Sample.Address, "api/private-scoped", token);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(
            "Bearer error=\"insufficient_scope\", error_description=\"insufficient scope\", scope=\"read:messages\"",
            refused.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task ClientCredentials_TokenForAnotherApi_Refused401()
    {
        var token = await ClientCredentialsAsync(RealLatchkeyFixture.Reader, RealLatchkeyFixture.ReaderSecret, RealLatchkeyFixture.OtherApi);
        using var response = await GetAsync(fixture.Sample.Address, "api/private", token);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("unexpected audience", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task UserLogin_AccessTokenWithReadMessages_ReachesPrivateAndScoped()
    {
        var tokens = await UserLoginAsync("openid profile email read:messages");
        using var privateResponse = await GetAsync(fixture.Sample.Address, "api/private", tokens.GetProperty("access_token").GetString());
        Assert.Equal(HttpStatusCode.OK, privateResponse.StatusCode);
        using var scoped = await GetAsync(fixture.Sample.Address, "api/private-scoped", tokens.GetProperty("access_token").GetString());
        Assert.Equal(HttpStatusCode.OK, scoped.StatusCode);
    }

    [Fact]
    public async Task UserLogin_WithoutReadMessages_PrivateOkScoped403()
    {
        var tokens = await UserLoginAsync("openid profile");
        var token = tokens.GetProperty("access_token").GetString();
        using var privateResponse = await GetAsync(fixture.Sample.Address, "api/private", token);
        Assert.Equal(HttpStatusCode.OK, privateResponse.StatusCode);
        using var scoped = await GetAsync(fixture.Sample.Address, "api/private-scoped", token);
        Assert.Equal(HttpStatusCode.Forbidden, scoped.StatusCode);
    }

    [Fact]
    public async Task UserLogin_IdTokenPresentedAsAccessToken_Refused401()
    {
        var tokens = await UserLoginAsync("openid profile email read:messages");
        using var response = await GetAsync(fixture.Sample.Address, "api/private", tokens.GetProperty("id_token").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task LatchkeyTokens_SampleApiAndExpress_SameDecisions()
    {
        var reader = await ClientCredentialsAsync(RealLatchkeyFixture.Reader, RealLatchkeyFixture.ReaderSecret, RealLatchkeyFixture.Api);
        var writer = await ClientCredentialsAsync(RealLatchkeyFixture.Writer, RealLatchkeyFixture.WriterSecret, RealLatchkeyFixture.Api);
        var other = await ClientCredentialsAsync(RealLatchkeyFixture.Reader, RealLatchkeyFixture.ReaderSecret, RealLatchkeyFixture.OtherApi);
        var user = await UserLoginAsync("openid profile email read:messages");
        var parts = reader.Split('.');
        var tampered = parts[0] + "." + parts[1] + "." + (parts[2][0] == 'A' ? "B" : "A") + parts[2][1..];
        var cases = new Dictionary<string, (string? Token, int Private, int Scoped)>
        {
            ["client_credentials with read:messages"] = (reader, 200, 200),
            ["client_credentials with write:messages only"] = (writer, 200, 403),
            ["client_credentials for another API"] = (other, 401, 401),
            ["user access token"] = (user.GetProperty("access_token").GetString(), 200, 200),
            ["user ID token"] = (user.GetProperty("id_token").GetString(), 401, 401),
            ["tampered signature"] = (tampered, 401, 401),
            ["no token"] = (null, 401, 401),
        };

        var mismatches = new List<string>();
        foreach (var (name, (token, expectedPrivate, expectedScoped)) in cases)
        {
            foreach (var (path, expected) in new[] { ("api/private", expectedPrivate), ("api/external", expectedPrivate), ("api/private-scoped", expectedScoped) })
            {
                using var ours = await GetAsync(fixture.Sample.Address, path, token);
                using var theirs = await GetAsync(fixture.Express.Address, path, token);
                if ((int)ours.StatusCode != expected || (int)theirs.StatusCode != expected)
                {
                    mismatches.Add($"{name} {path}: expected {expected}, samples/api {(int)ours.StatusCode}, express {(int)theirs.StatusCode}");
                }
            }
        }

        Assert.Empty(mismatches);
    }

    private async Task<string> ClientCredentialsAsync(string clientId, string secret, string audience)
    {
        using var client = fixture.Latchkey.CreateClient();
        using var response = await client.PostAsync("oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
            ["audience"] = audience,
        }));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>The code flow as auth0-spa-js runs it (PKCE S256, audience), through the real login pages.</summary>
    private async Task<JsonElement> UserLoginAsync(string scope)
    {
        using var client = fixture.Latchkey.CreateClient(new CookieContainer());
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var state = Base64Url(RandomNumberGenerator.GetBytes(16));
        var authorize = QueryHelpers.AddQueryString("/authorize", new Dictionary<string, string?>
        {
            ["client_id"] = RealLatchkeyFixture.Spa,
            ["redirect_uri"] = RealLatchkeyFixture.Callback,
            ["response_type"] = "code",
            ["response_mode"] = "query",
            ["scope"] = scope,
            ["audience"] = RealLatchkeyFixture.Api,
            ["state"] = state,
            ["nonce"] = Base64Url(RandomNumberGenerator.GetBytes(16)),
            ["code_challenge"] = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))),
            ["code_challenge_method"] = "S256",
        });
        var callback = await LoginDriver.AuthorizeAsync(fixture.Latchkey, client, authorize, RealLatchkeyFixture.Email, RealLatchkeyFixture.Password);
        var query = QueryHelpers.ParseQuery(callback.Query);
        Assert.True(query.ContainsKey("code"), callback.ToString());
        Assert.Equal(state, query["state"].ToString());

        using var response = await client.PostAsync("oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = RealLatchkeyFixture.Spa,
            ["code"] = query["code"].ToString(),
            ["redirect_uri"] = RealLatchkeyFixture.Callback,
            ["code_verifier"] = verifier,
        }));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task<HttpResponseMessage> GetAsync(Uri api, string path, string? token)
    {
        using var client = new HttpClient { BaseAddress = api };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }

        return await client.SendAsync(request);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
