using System.Net;
using System.Security.Cryptography;
using System.Text;
using Latchkey.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.Tokens;

namespace Latchkey.Server.Tests.Protocol;

/// <summary>
/// The authorization-code flow as auth0-spa-js runs it: PKCE S256, state and nonce, login through the real login
/// pages (<see cref="LoginDriver"/>), then the token request. Each step is exposed so tests can tamper with one.
/// </summary>
internal sealed class CodeFlow
{
    public string ClientId { get; init; } = ProtocolTenant.SpaClient;

    public string RedirectUri { get; init; } = ProtocolTenant.SpaCallback;

    public string Scope { get; init; } = "openid profile email offline_access read:messages";

    public string? Audience { get; init; } = ProtocolTenant.Api;

    public string Password { get; init; } = ProtocolTenant.UserPassword;

    public string Verifier { get; init; } = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    public string? ChallengeMethod { get; init; } = "S256";

    public string State { get; } = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16));

    public string Nonce { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

    public string? Challenge => ChallengeMethod switch
    {
        null => null,
        "plain" => Verifier,
        _ => Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(Verifier))),
    };

    public string AuthorizeUrl(params (string Name, string Value)[] extra)
    {
        var parameters = new Dictionary<string, string?>
        {
            ["client_id"] = ClientId,
            ["redirect_uri"] = RedirectUri,
            ["response_type"] = "code",
            ["response_mode"] = "query",
            ["scope"] = Scope,
            ["state"] = State,
            ["nonce"] = Nonce,
        };
        if (Audience is not null)
        {
            parameters["audience"] = Audience;
        }

        if (Challenge is not null)
        {
            parameters["code_challenge"] = Challenge;
            parameters["code_challenge_method"] = ChallengeMethod;
        }

        foreach (var (name, value) in extra)
        {
            parameters[name] = value;
        }

        return QueryHelpers.AddQueryString("/authorize", parameters);
    }

    /// <summary>Logs in (or reuses the session in <paramref name="client"/>'s cookies) and returns the callback's query.</summary>
    public async Task<Dictionary<string, string>> AuthorizeAsync(LatchkeyTestServer server, HttpClient client, params (string Name, string Value)[] extra)
    {
        var callback = await LoginDriver.AuthorizeAsync(server, client, AuthorizeUrl(extra), ProtocolTenant.UserEmail, Password);
        Assert.StartsWith(RedirectUri, callback.AbsoluteUri, StringComparison.Ordinal);
        return QueryHelpers.ParseQuery(callback.Query).ToDictionary(p => p.Key, p => p.Value.ToString());
    }

    /// <summary>Logs in and returns the authorization code (asserting the state round-trips).</summary>
    public async Task<string> GetCodeAsync(LatchkeyTestServer server, HttpClient client)
    {
        var query = await AuthorizeAsync(server, client);
        Assert.True(query.ContainsKey("code"), string.Join("&", query.Select(p => p.Key + "=" + p.Value)));
        Assert.Equal(State, query["state"]);
        return query["code"];
    }

    public Task<HttpResponseMessage> RedeemAsync(HttpClient client, string code, string? verifier = null, string? redirectUri = null, string? clientId = null, string? secret = null)
    {
        var parameters = new List<(string, string)>
        {
            ("grant_type", "authorization_code"),
            ("client_id", clientId ?? ClientId),
            ("code", code),
            ("redirect_uri", redirectUri ?? RedirectUri),
        };
        if ((verifier ?? (Challenge is null ? null : Verifier)) is { } v)
        {
            parameters.Add(("code_verifier", v));
        }

        if (secret is not null)
        {
            parameters.Add(("client_secret", secret));
        }

        return client.PostFormAsync("oauth/token", [.. parameters]);
    }

    /// <summary>The whole flow: returns the token response body (asserting 200).</summary>
    public async Task<System.Text.Json.Nodes.JsonObject> RunAsync(LatchkeyTestServer server, HttpClient? client = null, string? secret = null)
    {
        using var own = client is null ? server.CreateClient(new CookieContainer()) : null;
        var http = client ?? own!;
        var code = await GetCodeAsync(server, http);
        var response = await RedeemAsync(http, code, secret: secret);
        var body = await response.ReadJsonObjectAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return body;
    }

    public static Task<HttpResponseMessage> RefreshAsync(HttpClient client, string clientId, string refreshToken, params (string Name, string Value)[] extra) =>
        client.PostFormAsync("oauth/token", [("grant_type", "refresh_token"), ("client_id", clientId), ("refresh_token", refreshToken), .. extra]);
}
