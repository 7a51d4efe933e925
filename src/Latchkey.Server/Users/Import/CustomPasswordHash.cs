using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Konscious.Security.Cryptography;

namespace Latchkey.Server.Users.Import;

/// <summary>
/// Auth0's bulk-import <c>custom_password_hash</c> object (docs/migrate-from-auth0.md): <c>algorithm</c>,
/// <c>hash.value</c>/<c>hash.encoding</c> (and <c>hash.digest</c>/<c>hash.key</c> for <c>hmac</c>),
/// <c>salt.value</c>/<c>salt.encoding</c>/<c>salt.position</c>, <c>password.encoding</c>. Checked once at import
/// (<see cref="Parse"/>), stored as its compact JSON behind <see cref="Prefix"/>, and verified at login
/// (<see cref="Verify"/>) until the first successful login replaces it with Latchkey's own hash.
/// The libraries used: BCrypt.Net-Next (bcrypt), Konscious (argon2), System.Security.Cryptography (pbkdf2, sha*, md5,
/// hmac). The PHC strings of argon2 and pbkdf2 are parsed here by hand: neither library reads them (Konscious takes raw
/// parameters), and the format is four <c>$</c>-separated fields.
/// </summary>
internal sealed class CustomPasswordHash
{
    /// <summary>Marks a stored hash as an imported custom one; never the start of an ASP.NET Identity v3 hash (base64).</summary>
    public const string Prefix = "$auth0-custom$";

    /// <summary>The algorithms Latchkey verifies (Auth0 also lists ldap, md4, sha1 variants and scrypt, not supported).</summary>
    public static readonly IReadOnlySet<string> Algorithms = new HashSet<string>(StringComparer.Ordinal)
    {
        "bcrypt", "argon2", "pbkdf2", "sha1", "sha256", "sha512", "md5", "hmac",
    };

    private CustomPasswordHash(JsonObject json, string algorithm, string hash, string hashEncoding, string? digest, byte[]? key,
        byte[]? salt, bool saltPrefix, string passwordEncoding)
    {
        Json = json;
        Algorithm = algorithm;
        Hash = hash;
        HashEncoding = hashEncoding;
        Digest = digest;
        Key = key;
        Salt = salt;
        SaltPrefix = saltPrefix;
        PasswordEncoding = passwordEncoding;
    }

    public JsonObject Json { get; }

    public string Algorithm { get; }

    private string Hash { get; }

    private string HashEncoding { get; }

    private string? Digest { get; }

    private byte[]? Key { get; }

    private byte[]? Salt { get; }

    private bool SaltPrefix { get; }

    private string PasswordEncoding { get; }

    /// <summary>The stored form: <see cref="Prefix"/> + compact JSON.</summary>
    public string ToStored() => Prefix + Json.ToJsonString();

    public static bool IsStored(string hash) => hash.StartsWith(Prefix, StringComparison.Ordinal);

    public static CustomPasswordHash FromStored(string stored) =>
        Parse(JsonNode.Parse(stored[Prefix.Length..]) as JsonObject ?? throw new FormatException("Not a custom password hash."), out var problem)
        ?? throw new FormatException(problem.Message);

    /// <summary>The object as Auth0's import checks it; on a problem, its path under <c>custom_password_hash</c> and message.</summary>
    public static CustomPasswordHash? Parse(JsonObject json, out (string Path, string Message) problem)
    {
        ArgumentNullException.ThrowIfNull(json);
        problem = default;
        var algorithm = Text(json, "algorithm");
        if (algorithm is null || !Algorithms.Contains(algorithm))
        {
            problem = ("custom_password_hash.algorithm", $"No enum match for: \"{algorithm}\"");
            return null;
        }

        if (json["hash"] is not JsonObject hash || Text(hash, "value") is not { Length: > 0 } value)
        {
            problem = ("custom_password_hash.hash.value", "Missing required property: value");
            return null;
        }

        var hashEncoding = Text(hash, "encoding") ?? (algorithm is "bcrypt" or "argon2" or "pbkdf2" ? "utf8" : "hex");
        var passwordEncoding = (json["password"] as JsonObject) is { } password ? Text(password, "encoding") ?? "utf8" : "utf8";
        if (!IsEncoding(hashEncoding) || !IsPasswordEncoding(passwordEncoding))
        {
            problem = ("custom_password_hash", $"Unsupported encoding \"{(IsEncoding(hashEncoding) ? passwordEncoding : hashEncoding)}\"");
            return null;
        }

        try
        {
            byte[]? salt = null;
            var saltPrefix = true;
            if (json["salt"] is JsonObject saltObject && Text(saltObject, "value") is { } saltValue)
            {
                salt = Decode(saltValue, Text(saltObject, "encoding") ?? "utf8");
                saltPrefix = (Text(saltObject, "position") ?? "prefix") switch
                {
                    "prefix" => true,
                    "suffix" => false,
                    var other => throw new FormatException($"No enum match for salt.position: \"{other}\""),
                };
            }

            string? digest = null;
            byte[]? key = null;
            if (algorithm == "hmac")
            {
                digest = Text(hash, "digest");
                if (digest is null || HashName(digest) is null || hash["key"] is not JsonObject keyObject || Text(keyObject, "value") is not { } keyValue)
                {
                    throw new FormatException("hmac needs hash.digest (md5, sha1, sha256, sha384, sha512) and hash.key.value");
                }

                key = Decode(keyValue, Text(keyObject, "encoding") ?? "utf8");
            }

            var parsed = new CustomPasswordHash((JsonObject)json.DeepClone(), algorithm, value, hashEncoding, digest, key, salt, saltPrefix, passwordEncoding);
            parsed.CheckShape();
            return parsed;
        }
        catch (FormatException ex)
        {
            problem = ("custom_password_hash", ex.Message);
            return null;
        }
    }

    /// <summary>Whether <paramref name="password"/> matches, with a constant-time comparison of the digests.</summary>
    /// <remarks>MD5 and SHA-1 only read legacy hashes being migrated away (replaced at the first login); nothing new uses them.</remarks>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5351", Justification = "Verifies imported legacy hashes only.")]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350", Justification = "Verifies imported legacy hashes only.")]
    public bool Verify(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        switch (Algorithm)
        {
            case "bcrypt":
                return BCrypt.Net.BCrypt.Verify(password, Hash);
            case "argon2":
                return VerifyArgon2(EncodePassword(password));
            case "pbkdf2":
                return VerifyPbkdf2(EncodePassword(password));
            default:
                var input = Salted(EncodePassword(password));
                var computed = Algorithm switch
                {
                    "md5" => MD5.HashData(input),
                    "sha1" => SHA1.HashData(input),
                    "sha256" => SHA256.HashData(input),
                    "sha512" => SHA512.HashData(input),
                    _ => CryptographicOperations.HmacData(HashName(Digest!)!.Value, Key!, input),
                };
                return CryptographicOperations.FixedTimeEquals(computed, Decode(Hash, HashEncoding));
        }
    }

    /// <summary>Refuses at import what could never verify, so the job reports it instead of a login failing later.</summary>
    private void CheckShape()
    {
        switch (Algorithm)
        {
            case "bcrypt":
                if (!PasswordHashFormat.IsBcrypt(Hash))
                {
                    throw new FormatException("hash.value is not a bcrypt hash ($2a$, $2b$ or $2y$)");
                }

                break;
            case "argon2":
                _ = Argon2Phc.Parse(Hash);
                break;
            case "pbkdf2":
                _ = Pbkdf2Phc.Parse(Hash);
                break;
            default:
                _ = Decode(Hash, HashEncoding);
                break;
        }
    }

    private bool VerifyArgon2(byte[] password)
    {
        var phc = Argon2Phc.Parse(Hash);
        using Argon2 argon2 = phc.Variant switch
        {
            "argon2i" => new Argon2i(password),
            "argon2d" => new Argon2d(password),
            _ => new Argon2id(password),
        };
        argon2.Salt = phc.Salt;
        argon2.MemorySize = phc.MemoryKib;
        argon2.Iterations = phc.Iterations;
        argon2.DegreeOfParallelism = phc.Parallelism;
        return CryptographicOperations.FixedTimeEquals(argon2.GetBytes(phc.Hash.Length), phc.Hash);
    }

    private bool VerifyPbkdf2(byte[] password)
    {
        var phc = Pbkdf2Phc.Parse(Hash);
        var computed = Rfc2898DeriveBytes.Pbkdf2(password, phc.Salt, phc.Iterations, phc.Digest, phc.Hash.Length);
        return CryptographicOperations.FixedTimeEquals(computed, phc.Hash);
    }

    private byte[] Salted(byte[] password) =>
        Salt is null ? password : SaltPrefix ? [.. Salt, .. password] : [.. password, .. Salt];

    private byte[] EncodePassword(string password) => PasswordEncoding switch
    {
        "ascii" => Encoding.ASCII.GetBytes(password),
        "utf16le" or "ucs2" => Encoding.Unicode.GetBytes(password),
        "latin1" or "binary" => Encoding.Latin1.GetBytes(password),
        _ => Encoding.UTF8.GetBytes(password),
    };

    private static bool IsEncoding(string encoding) => encoding is "hex" or "base64" or "utf8";

    private static bool IsPasswordEncoding(string encoding) => encoding is "ascii" or "utf8" or "utf16le" or "ucs2" or "latin1" or "binary";

    private static byte[] Decode(string value, string encoding) => encoding switch
    {
        "hex" => Convert.FromHexString(value),
        "base64" => Convert.FromBase64String(value),
        "utf8" => Encoding.UTF8.GetBytes(value),
        _ => throw new FormatException($"Unsupported encoding \"{encoding}\""),
    };

    internal static HashAlgorithmName? HashName(string digest) => digest switch
    {
        "md5" => HashAlgorithmName.MD5,
        "sha1" => HashAlgorithmName.SHA1,
        "sha256" => HashAlgorithmName.SHA256,
        "sha384" => HashAlgorithmName.SHA384,
        "sha512" => HashAlgorithmName.SHA512,
        _ => null,
    };

    private static string? Text(JsonObject json, string name) =>
        json[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
