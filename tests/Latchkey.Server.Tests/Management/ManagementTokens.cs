using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Protocol;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace Latchkey.Server.Tests.Management;

/// <summary>Access tokens for the Management API tests.</summary>
internal static class ManagementTokens
{
    /// <summary>A real token from <c>/oauth/token</c> (client_credentials) for the Management API.</summary>
    public static async Task<string> ClientCredentialsAsync(LatchkeyTestServer server, string clientId, string secret)
    {
        using var client = server.CreateClient();
        using var response = await client.ClientCredentialsAsync(clientId, secret, ManagementTenant.Audience);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonNode.Parse(body)!["access_token"]!.GetValue<string>();
    }

    /// <summary>
    /// A real current-user token, the way seed 003 gets one: log in through <c>/authorize</c> with
    /// <c>audience=&lt;issuer&gt;api/v2/</c>, then redeem the code at <c>/oauth/token</c>.
    /// </summary>
    public static async Task<string> LogInAsync(LatchkeyTestServer server, string email, string password, string scope) =>
        (await LogInForTokensAsync(server, email, password, scope))["access_token"]!.GetValue<string>();

    /// <summary>As <see cref="LogInAsync"/>, the whole token response (<c>access_token</c>, <c>id_token</c>, …).</summary>
    public static async Task<JsonNode> LogInForTokensAsync(LatchkeyTestServer server, string email, string password, string scope)
    {
        using var client = server.CreateClient(new CookieContainer());
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var authorize = QueryHelpers.AddQueryString("/authorize", new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = ManagementTenant.SpaClient,
            ["redirect_uri"] = ManagementTenant.SpaCallback,
            ["scope"] = "openid profile email " + scope,
            ["audience"] = ManagementTenant.Audience,
            ["state"] = "s",
            ["nonce"] = "n",
            ["code_challenge"] = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))),
            ["code_challenge_method"] = "S256",
        });
        var callback = await LoginDriver.AuthorizeAsync(server, client, authorize, email, password);
        var code = QueryHelpers.ParseQuery(callback.Query)["code"].ToString();
        using var response = await client.PostFormAsync("oauth/token",
            ("grant_type", "authorization_code"), ("client_id", ManagementTenant.SpaClient), ("code", code),
            ("redirect_uri", ManagementTenant.SpaCallback), ("code_verifier", verifier));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonNode.Parse(body)!;
    }

    /// <summary>
    /// A token signed with the server's own current signing key, shaped like the token endpoint's (at+jwt, iss, aud,
    /// sub, scope). Used to reach cases the token endpoint will not produce (expired, wrong audience, other key).
    /// </summary>
    public static string Mint(LatchkeyTestServer server, string subject, string scope, string? audience = null, string? issuer = null,
        TimeSpan? lifetime = null, SecurityKey? key = null, string type = "at+jwt", bool client = false)
    {
        var credentials = key is null
            ? server.Services.GetRequiredService<IOptionsMonitor<OpenIddictServerOptions>>().CurrentValue.SigningCredentials.First()
            : new SigningCredentials(key, SecurityAlgorithms.RsaSha256);
        var now = DateTime.UtcNow;
        var expires = now + (lifetime ?? TimeSpan.FromHours(1));
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer ?? ManagementTenant.Issuer,
            Audience = audience ?? ManagementTenant.Audience,
            IssuedAt = lifetime < TimeSpan.Zero ? expires.AddMinutes(-5) : now,
            NotBefore = lifetime < TimeSpan.Zero ? expires.AddMinutes(-5) : now,
            Expires = expires,
            SigningCredentials = credentials,
            TokenType = type,
            Claims = new Dictionary<string, object>
            {
                ["sub"] = subject,
                ["scope"] = scope,
                ["azp"] = client ? subject.Replace("@clients", string.Empty, StringComparison.Ordinal) : ManagementTenant.SpaClient,
                ["jti"] = Guid.NewGuid().ToString("N"),
            },
        };
        if (client)
        {
            // Auth0's client_credentials marker, as HandleClientCredentialsGrant issues it.
            descriptor.Claims["gty"] = "client-credentials";
        }

        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }
}
