namespace Latchkey.Server.Protocol.Keys;

public static class ProtocolKeyUse
{
    public const string Signing = "sig";
    public const string Encryption = "enc";
}
