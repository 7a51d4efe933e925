using System.Security.Cryptography;
using System.Text;
using Latchkey.Server.Persistence;
using Latchkey.Server.Protocol.Keys;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Latchkey.Server.Tenants;

/// <summary>
/// Client secrets are stored as <c>hmac-sha256$&lt;key id&gt;$&lt;HMAC-SHA-256(key, secret)&gt;</c>.
/// <para>
/// Why a fast hash: a client secret is a machine credential (generated secrets are 384-bit random; tenant files must
/// give at least <see cref="Rules.ApplicationRules.MinSecretLength"/> characters), not a password a person remembers. Key stretching
/// (PBKDF2-SHA512 at 210,000 iterations, the previous format) only slows the guessing of low-entropy secrets, and made
/// every wrong secret cost the server that work: a few dozen parallel bad requests stalled the token endpoint.
/// </para>
/// <para>
/// Why keyed (HMAC) and not plain SHA-256: a secret from a tenant file is chosen by a person and may have less entropy
/// than its length suggests. Without the server key a stolen hash cannot be tested offline. The 256-bit key lives in
/// the database (<c>ProtocolKeys</c>, use <see cref="ProtocolKeyUse.ClientSecret"/>) protected by ASP.NET Data Protection
/// like the signing keys, so protecting the key ring at rest (a certificate, a KMS) also protects the hashes; every node
/// reads the same key.
/// </para>
/// <para>
/// Hashes in the previous PBKDF2 format still verify, reporting <see cref="ClientSecretVerification.SuccessRehashNeeded"/>:
/// the importer and the token endpoint then store the new format, so the slow path runs at most until the client's
/// next successful authentication or the next import.
/// </para>
/// </summary>
public sealed class ClientSecretHasher(IServiceScopeFactory scopes, IDataProtectionProvider dataProtection, TimeProvider time)
{
    private const string Prefix = "hmac-sha256";
    private const string LegacyPrefix = "pbkdf2-sha512";

    private readonly IDataProtector _protector = dataProtection.CreateProtector("Latchkey.ClientSecrets.v1");
    private volatile SecretKey? _loaded;

    /// <summary>
    /// Loads (on the first start of the first node: creates) the key. Called at start-up before any tenant write: creating
    /// it inside a write transaction would wait on that transaction's lock (SQLite), as Data Protection writes its key
    /// ring through another connection.
    /// </summary>
    public void Initialize() => Key();

    public string Hash(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var key = Key();
        return $"{Prefix}${key.Id}${Convert.ToBase64String(Mac(key.Bytes, secret))}";
    }

    public ClientSecretVerification Verify(string secret, string storedHash)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(storedHash);
        var parts = storedHash.Split('$');
        if (parts.Length == 3 && parts[0] == Prefix)
        {
            var key = Key();
            return parts[1] == key.Id && TryBase64(parts[2], out var expected)
                && CryptographicOperations.FixedTimeEquals(Mac(key.Bytes, secret), expected)
                ? ClientSecretVerification.Success
                : ClientSecretVerification.Failed;
        }

        return parts.Length == 4 && parts[0] == LegacyPrefix && VerifyLegacy(secret, parts)
            ? ClientSecretVerification.SuccessRehashNeeded
            : ClientSecretVerification.Failed;
    }

    /// <summary>True when <paramref name="storedHash"/> is not in the current format (the next success should re-store it).</summary>
    public bool NeedsRehash(string storedHash) => !storedHash.StartsWith($"{Prefix}${Key().Id}$", StringComparison.Ordinal);

    private static byte[] Mac(byte[] key, string secret) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(secret));

    private static bool VerifyLegacy(string secret, string[] parts)
    {
        if (!int.TryParse(parts[1], out var iterations) || iterations < 1 || !TryBase64(parts[2], out var salt) || !TryBase64(parts[3], out var expected))
        {
            return false;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, iterations, HashAlgorithmName.SHA512, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static bool TryBase64(string text, out byte[] bytes)
    {
        bytes = new byte[text.Length];
        if (Convert.TryFromBase64String(text, bytes, out var written))
        {
            bytes = bytes[..written];
            return true;
        }

        return false;
    }

    /// <summary>Loads the key (creating it on the first start of the first node); synchronous like the signing keys.</summary>
    private SecretKey Key()
    {
        if (_loaded is { } loaded)
        {
            return loaded;
        }

        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();
        var stored = db.Set<ProtocolKey>().AsNoTracking().Where(k => k.Use == ProtocolKeyUse.ClientSecret).OrderByDescending(k => k.Generation).FirstOrDefault();
        if (stored is null)
        {
            var now = time.GetUtcNow();
            db.Add(new ProtocolKey
            {
                Id = "cs-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
                Use = ProtocolKeyUse.ClientSecret,
                Generation = 1,
                ProtectedPrivateKey = Convert.ToBase64String(_protector.Protect(RandomNumberGenerator.GetBytes(32))),
                CreatedAt = now,
                NotBefore = now,
                NotAfter = now.AddYears(100),
            });
            try
            {
                db.SaveChanges();
            }
            catch (DbUpdateException)
            {
                // Another node created it first (unique use and generation); use theirs.
                db.ChangeTracker.Clear();
            }

            stored = db.Set<ProtocolKey>().AsNoTracking().Where(k => k.Use == ProtocolKeyUse.ClientSecret).OrderByDescending(k => k.Generation).First();
        }

        var key = new SecretKey(stored.Id, _protector.Unprotect(Convert.FromBase64String(stored.ProtectedPrivateKey)));
        _loaded = key;
        return key;
    }

    private sealed record SecretKey(string Id, byte[] Bytes);
}
