using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Serialization;
using Latchkey.Server.Protocol.Keys;

namespace Latchkey.Server.Management.Keys;

/// <summary>Auth0's signing-key shape (<c>GET /api/v2/keys/signing</c>): the certificate in PEM, the state flags and the dates.</summary>
internal sealed record SigningKeyResponse(
    [property: JsonPropertyName("kid")] string Kid,
    [property: JsonPropertyName("cert")] string Cert,
    [property: JsonPropertyName("fingerprint")] string Fingerprint,
    [property: JsonPropertyName("thumbprint")] string Thumbprint,
    [property: JsonPropertyName("current")] bool Current,
    [property: JsonPropertyName("next")] bool Next,
    [property: JsonPropertyName("previous")] bool Previous,
    [property: JsonPropertyName("revoked")] bool Revoked,
    [property: JsonPropertyName("current_since")] DateTimeOffset? CurrentSince,
    [property: JsonPropertyName("current_until")] DateTimeOffset? CurrentUntil,
    [property: JsonPropertyName("revoked_at")] DateTimeOffset? RevokedAt)
{
    public static SigningKeyResponse From(ProtocolKey key, SigningKeyState state)
    {
        using var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(key.Certificate!));
        var fingerprint = Convert.ToHexString(certificate.GetCertHash());
        return new(
            key.Id,
            certificate.ExportCertificatePem(),
            string.Join(':', Enumerable.Range(0, fingerprint.Length / 2).Select(i => fingerprint.Substring(i * 2, 2))),
            fingerprint,
            state == SigningKeyState.Current,
            state == SigningKeyState.Next,
            state is SigningKeyState.Previous or SigningKeyState.Expired,
            state == SigningKeyState.Revoked,
            key.ActivatedAt,
            key.RetiredAt,
            key.RevokedAt);
    }
}
