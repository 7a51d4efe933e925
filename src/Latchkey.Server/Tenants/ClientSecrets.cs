using System.Security.Cryptography;

namespace Latchkey.Server.Tenants;

/// <summary>Generated client credentials, the way Auth0 generates them: random, URL-safe, never chosen by a person.</summary>
internal static class ClientSecrets
{
    /// <summary>384 random bits, base64url without padding (64 characters).</summary>
    public static string Generate() => Base64Url(RandomNumberGenerator.GetBytes(48));

    /// <summary>A new <c>client_id</c>: 32 characters of [A-Za-z0-9] (about 190 random bits), like Auth0's.</summary>
    public static string NewClientId() => RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 32);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
