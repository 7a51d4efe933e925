namespace Latchkey.Server.Protocol.Keys;

/// <summary>
/// A persisted key pair. The private part is protected by ASP.NET Data Protection (whose key ring the host
/// persists in the same database), so a database dump alone does not reveal it.
/// </summary>
public sealed class ProtocolKey
{
    /// <summary>The <c>kid</c> (signing keys: the certificate thumbprint, which is stable across restarts).</summary>
    public required string Id { get; set; }

    /// <summary>
    /// <see cref="ProtocolKeyUse.Signing"/>, <see cref="ProtocolKeyUse.SymmetricEncryption"/>, <see cref="ProtocolKeyUse.Encryption"/>
    /// (legacy RSA) or <see cref="ProtocolKeyUse.ClientSecret"/>.
    /// </summary>
    public required string Use { get; set; }

    /// <summary>1, 2, … per use. Unique with <see cref="Use"/>, so two nodes starting at once cannot both add a key.</summary>
    public int Generation { get; set; }

    /// <summary>Signing keys: a self-signed X.509 certificate (DER, base64) carrying the public key and validity.</summary>
    public string? Certificate { get; set; }

    /// <summary>PKCS#8 private key (RSA) or the raw key (AES, client-secret HMAC), protected with Data Protection, base64.</summary>
    public required string ProtectedPrivateKey { get; set; }

    /// <summary>Signing keys: when it was created, which is also when it was first published in the JWKS.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Signing keys: when it became the key that signs (null while it is the next key, published but unused).</summary>
    public DateTimeOffset? ActivatedAt { get; set; }

    /// <summary>Signing keys: when a rotation replaced it (it stays published while tokens it signed can be alive).</summary>
    public DateTimeOffset? RetiredAt { get; set; }

    /// <summary>Signing keys: when an administrator revoked it (gone from the JWKS; its tokens no longer verify).</summary>
    public DateTimeOffset? RevokedAt { get; set; }

    public DateTimeOffset NotBefore { get; set; }

    public DateTimeOffset NotAfter { get; set; }
}
