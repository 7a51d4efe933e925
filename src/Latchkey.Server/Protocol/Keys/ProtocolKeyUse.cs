namespace Latchkey.Server.Protocol.Keys;

public static class ProtocolKeyUse
{
    public const string Signing = "sig";
    public const string Encryption = "enc";

    /// <summary>The HMAC key of stored client secrets (<see cref="Tenants.ClientSecretHasher"/>): no certificate, never rotated.</summary>
    public const string ClientSecret = "secret";
}
