using System.Security.Cryptography;
using System.Text;
using Latchkey.Server.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Latchkey.Server.Tests.Protocol.Browser;

/// <summary>Checks ID tokens the way auth0.js / idtoken-verifier does: signature against the JWKS by kid, then claims.</summary>
internal static class TokenAssertions
{
    /// <summary>The RFC 7636 appendix B verifier of <see cref="BrowserTenant.CodeChallenge"/>.</summary>
    public const string CodeVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    public static async Task<JsonWebToken> ValidateIdTokenAsync(LatchkeyTestServer server, HttpClient client, string idToken, string audience)
    {
        var jwks = new JsonWebKeySet(await client.GetStringAsync("/.well-known/jwks.json"));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(idToken, new TokenValidationParameters
        {
            ValidIssuer = server.Issuer,
            ValidAudience = audience,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidAlgorithms = ["RS256"],
        });
        Assert.True(result.IsValid, "ID token invalid: " + result.Exception?.Message);
        return (JsonWebToken)result.SecurityToken;
    }

    /// <summary>OIDC Core §3.2.2.9: base64url of the left half of SHA-256 over the ASCII access token.</summary>
    public static string AtHash(string accessToken)
    {
        var hash = SHA256.HashData(Encoding.ASCII.GetBytes(accessToken));
        return Base64UrlEncoder.Encode(hash[..(hash.Length / 2)]);
    }
}
