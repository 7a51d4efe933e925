using System.Security.Cryptography;

namespace Latchkey.AspNetCore.Tests.Infrastructure;

/// <summary>A key the test authority signs with and may publish: RSA (RS256/PS256/RS512) or EC P-256 (ES256).</summary>
public sealed class SigningKey
{
    private readonly RSA? _rsa;
    private readonly ECDsa? _ec;

    private SigningKey(string keyId, string algorithm, RSA? rsa, ECDsa? ec)
    {
        KeyId = keyId;
        Algorithm = algorithm;
        _rsa = rsa;
        _ec = ec;
    }

    public string KeyId { get; }

    public string Algorithm { get; }

    public RSA RsaKey => _rsa ?? throw new InvalidOperationException("not an RSA key");

    public static SigningKey Rsa(string keyId, string algorithm = "RS256") => new(keyId, algorithm, RSA.Create(2048), null);

    public static SigningKey Ec(string keyId) => new(keyId, "ES256", null, ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>The same key material announced under another algorithm (to test the allow-list).</summary>
    public SigningKey WithAlgorithm(string algorithm) => new(KeyId, algorithm, _rsa, _ec);

    public byte[] Sign(byte[] input) => Algorithm switch
    {
        "RS256" => _rsa!.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        "RS512" => _rsa!.SignData(input, HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1),
        "PS256" => _rsa!.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
        "ES256" => _ec!.SignData(input, HashAlgorithmName.SHA256),
        _ => throw new NotSupportedException(Algorithm),
    };

    public Dictionary<string, object> PublicJwk()
    {
        if (_rsa is not null)
        {
            var p = _rsa.ExportParameters(false);
            return new() { ["kty"] = "RSA", ["use"] = "sig", ["kid"] = KeyId, ["n"] = TestAuthority.B64(p.Modulus!), ["e"] = TestAuthority.B64(p.Exponent!) };
        }

        var q = _ec!.ExportParameters(false).Q;
        return new() { ["kty"] = "EC", ["use"] = "sig", ["kid"] = KeyId, ["crv"] = "P-256", ["x"] = TestAuthority.B64(q.X!), ["y"] = TestAuthority.B64(q.Y!) };
    }
}
