using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Latchkey.Server.Tenants;

/// <summary>
/// Client secrets are stored as PBKDF2-HMAC-SHA512 (210,000 iterations, OWASP) and verified once per
/// distinct (hash, secret) pair: later checks compare a SHA-256 of the presented secret against the
/// remembered one in constant time, so the token endpoint does not pay PBKDF2 on every request.
/// The remembered entry is keyed by the stored hash, so a rotated secret is never matched by an old entry.
/// </summary>
public sealed class ClientSecretHasher
{
    private const int Iterations = 210_000;
    private const int SaltSize = 16;
    private const int HashSize = 32;
    private const string Prefix = "pbkdf2-sha512";

    private readonly ConcurrentDictionary<string, byte[]> _verified = new(StringComparer.Ordinal);

    public static string Hash(string secret)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltSize);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, Iterations, HashAlgorithmName.SHA512, HashSize);
        return $"{Prefix}${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    public bool Verify(string secret, string storedHash)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(storedHash);
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        if (_verified.TryGetValue(storedHash, out var known))
        {
            return CryptographicOperations.FixedTimeEquals(known, presented);
        }

        if (!VerifySlow(secret, storedHash))
        {
            return false;
        }

        if (_verified.Count > 10_000)
        {
            _verified.Clear();
        }

        _verified[storedHash] = presented;
        return true;
    }

    private static bool VerifySlow(string secret, string storedHash)
    {
        var parts = storedHash.Split('$');
        if (parts.Length != 4 || parts[0] != Prefix || !int.TryParse(parts[1], out var iterations) || iterations < 1)
        {
            return false;
        }

        byte[] salt, expected;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            expected = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, iterations, HashAlgorithmName.SHA512, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
