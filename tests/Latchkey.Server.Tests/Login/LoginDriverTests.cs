using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Users;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.Server.Tests.Login;

/// <summary>The whole browser round trip: /authorize → login page → /authorize → the application's callback.</summary>
public sealed class LoginDriverTests : IAsyncLifetime
{
    private const string Callback = "http://localhost:3000/callback";
    private LatchkeyTestServer _server = null!;

    public async Task InitializeAsync() => _server = await LatchkeyTestServer.StartAsync(LoginTenant.Json);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task AuthorizeAsync_CodeFlow_LogsInAndReturnsCodeForTheUser()
    {
        using var client = _server.CreateClient(new CookieContainer());
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));

        var location = await LoginDriver.AuthorizeAsync(_server, client, AuthorizeUrl(verifier, "state-1"), LoginTenant.AliceEmail, LoginTenant.AlicePassword);

        Assert.StartsWith(Callback + "?", location.AbsoluteUri, StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(location.Query);
        Assert.Equal("state-1", query["state"].ToString());
        var idToken = await RedeemAsync(client, query["code"].ToString(), verifier);
        var alice = await UserIdAsync(LoginTenant.AliceEmail);
        Assert.Equal(alice, idToken.GetProperty("sub").GetString());
    }

    [Fact]
    public async Task AuthorizeAsync_ExistingSession_ReturnsWithoutLoginPage()
    {
        using var client = _server.CreateClient(new CookieContainer());
        await LoginDriver.AuthorizeAsync(_server, client, AuthorizeUrl(Base64Url(RandomNumberGenerator.GetBytes(32)), "first"), LoginTenant.AliceEmail, LoginTenant.AlicePassword);

        // A wrong password would fail if the login page were shown: the session answers instead.
        var location = await LoginDriver.AuthorizeAsync(_server, client, AuthorizeUrl(Base64Url(RandomNumberGenerator.GetBytes(32)), "second"), LoginTenant.AliceEmail, "not-the-password");

        Assert.Equal("second", QueryHelpers.ParseQuery(location.Query)["state"].ToString());
        Assert.False(string.IsNullOrEmpty(QueryHelpers.ParseQuery(location.Query)["code"]));
    }

    [Fact]
    public async Task AuthorizeAsync_WrongPassword_ThrowsWithTheLoginPageAnswer()
    {
        using var client = _server.CreateClient(new CookieContainer());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            LoginDriver.AuthorizeAsync(_server, client, AuthorizeUrl("v" + new string('x', 50), "s"), LoginTenant.AliceEmail, "wrong-password"));

        Assert.Contains("POST /login answered 400", error.Message, StringComparison.Ordinal);
    }

    private static string AuthorizeUrl(string verifier, string state)
    {
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        return QueryHelpers.AddQueryString("/authorize", new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = "sample-spa",
            ["redirect_uri"] = Callback,
            ["scope"] = "openid profile email",
            ["state"] = state,
            ["nonce"] = "n-" + state,
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
        });
    }

    private static async Task<JsonElement> RedeemAsync(HttpClient client, string code, string verifier)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = "sample-spa",
            ["code"] = code,
            ["redirect_uri"] = Callback,
            ["code_verifier"] = verifier,
        });
        using var response = await client.PostAsync(new Uri("/oauth/token", UriKind.Relative), form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var idToken = JsonDocument.Parse(body).RootElement.GetProperty("id_token").GetString()!;
        var payload = idToken.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        return JsonDocument.Parse(Convert.FromBase64String(payload)).RootElement.Clone();
    }

    private async Task<string> UserIdAsync(string email)
    {
        await using var scope = _server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>().Set<User>().Where(u => u.Email == email).Select(u => u.UserId).SingleAsync();
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
