namespace Latchkey.Server.Protocol.Keys;

/// <summary>
/// A persisted key pair. The private part is protected by ASP.NET Data Protection (whose key ring the host
/// persists in the same database), so a database dump alone does not reveal it.
/// </summary>
public sealed class ProtocolKey
{
    /// <summary>The <c>kid</c> (signing keys: the certificate thumbprint, which is stable across restarts).</summary>
    public required string Id { get; set; }

    /// <summary><see cref="ProtocolKeyUse.Signing"/>, <see cref="ProtocolKeyUse.Encryption"/> or <see cref="ProtocolKeyUse.ClientSecret"/>.</summary>
    public required string Use { get; set; }

    /// <summary>1, 2, … per use. Unique with <see cref="Use"/>, so two nodes starting at once cannot both add a key.</summary>
    public int Generation { get; set; }

    /// <summary>Signing keys: a self-signed X.509 certificate (DER, base64) carrying the public key and validity.</summary>
    public string? Certificate { get; set; }

    /// <summary>PKCS#8 private key, protected with Data Protection, base64.</summary>
    public required string ProtectedPrivateKey { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset NotBefore { get; set; }

    public DateTimeOffset NotAfter { get; set; }
}
