using System.Globalization;
using System.Security.Cryptography;

namespace Latchkey.Server.Users.Import;

/// <summary>
/// A pbkdf2 hash in the PHC string format, as Auth0's import takes it in <c>hash.value</c>:
/// <c>$pbkdf2-&lt;digest&gt;$i=&lt;iterations&gt;,l=&lt;key length&gt;$&lt;B64 salt&gt;$&lt;B64 hash&gt;</c>
/// (<c>$pbkdf2$</c> alone is sha1). Parsed by hand (see <see cref="CustomPasswordHash"/>).
/// </summary>
internal sealed record Pbkdf2Phc(HashAlgorithmName Digest, int Iterations, byte[] Salt, byte[] Hash)
{
    public static Pbkdf2Phc Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var fields = value.Split('$');
        if (fields is not ["", var id, var parameters, var salt, var hash] || !id.StartsWith("pbkdf2", StringComparison.Ordinal))
        {
            throw new FormatException("hash.value is not a pbkdf2 PHC string ($pbkdf2-<digest>$i=…,l=…$salt$hash)");
        }

        var digest = id == "pbkdf2" ? HashAlgorithmName.SHA1
            : id.StartsWith("pbkdf2-", StringComparison.Ordinal) && CustomPasswordHash.HashName(id["pbkdf2-".Length..]) is { } named && named != HashAlgorithmName.MD5 ? named
            : throw new FormatException($"Unsupported pbkdf2 digest \"{id}\"");
        int? iterations = null, length = null;
        foreach (var pair in parameters.Split(','))
        {
            if (pair.Split('=') is not [var name, var text] || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number <= 0)
            {
                throw new FormatException($"pbkdf2 parameter \"{pair}\" is not name=positive integer");
            }

            if (name == "i")
            {
                iterations = number;
            }
            else if (name == "l")
            {
                length = number;
            }
        }

        // Bounded so a crafted import cannot make one login cost more than a strong hash would.
        if (iterations is not { } i || i > 10_000_000)
        {
            throw new FormatException("pbkdf2 needs i (iterations, at most 10000000)");
        }

        var hashBytes = PhcBase64.Decode(hash);
        if (hashBytes.Length < 4 || (length is { } l && l != hashBytes.Length))
        {
            throw new FormatException("pbkdf2 hash length does not match l");
        }

        return new(digest, i, PhcBase64.Decode(salt), hashBytes);
    }
}
