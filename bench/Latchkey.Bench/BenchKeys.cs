using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Latchkey.Bench;

/// <summary>One RSA key, its JWKS, a discovery document and an access token like Latchkey issues (RS256, at+jwt).</summary>
internal sealed class BenchKeys
{
    public const string Audience = "https://quickstarts/api";
    public const string KeyId = "bench-1";

    public BenchKeys(string issuer)
    {
        Issuer = issuer;
        Rsa = RSA.Create(2048);
    }

    public string Issuer { get; }

    public RSA Rsa { get; }

    public string Discovery => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["issuer"] = Issuer,
        ["jwks_uri"] = Issuer + ".well-known/jwks.json",
        ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
    });

    public string Jwks
    {
        get
        {
            var p = Rsa.ExportParameters(false);
            return JsonSerializer.Serialize(new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = KeyId, n = B64(p.Modulus!), e = B64(p.Exponent!) } } });
        }
    }

    /// <summary>A token shaped like a Latchkey user access token (~900 bytes).</summary>
    public string Token(string subject = "latchkey|0123456789abcdef01234567")
    {
        var now = DateTimeOffset.UtcNow;
        var header = JsonSerializer.Serialize(new { alg = "RS256", typ = "at+jwt", kid = KeyId });
        var payload = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["iss"] = Issuer,
            ["sub"] = subject,
            ["aud"] = new[] { Audience, Issuer + "userinfo" },
            ["azp"] = "samples-spa",
            ["client_id"] = "samples-spa",
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.AddHours(2).ToUnixTimeSeconds(),
            ["scope"] = "openid profile email read:messages",
            ["permissions"] = new[] { "read:messages" },
        });
        var input = B64(Encoding.UTF8.GetBytes(header)) + "." + B64(Encoding.UTF8.GetBytes(payload));
        return input + "." + B64(Rsa.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    public static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
