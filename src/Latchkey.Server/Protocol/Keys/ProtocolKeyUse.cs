namespace Latchkey.Server.Protocol.Keys;

public static class ProtocolKeyUse
{
    public const string Signing = "sig";
    /// <summary>RSA-OAEP encryption of OpenIddict's tokens, as created before <see cref="SymmetricEncryption"/>: kept to read them.</summary>
    public const string Encryption = "enc";

    /// <summary>
    /// AES-256 key wrap of OpenIddict's own tokens (authorization codes, refresh tokens): a use of its own so that a node
    /// of an older build, which reads every <see cref="Encryption"/> row as an RSA key, ignores it.
    /// </summary>
    public const string SymmetricEncryption = "enc-aes";

    /// <summary>The HMAC key of stored client secrets (<see cref="Tenants.ClientSecretHasher"/>): no certificate, never rotated.</summary>
    public const string ClientSecret = "secret";
}
