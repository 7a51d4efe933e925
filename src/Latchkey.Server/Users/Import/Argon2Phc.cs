using System.Globalization;

namespace Latchkey.Server.Users.Import;

/// <summary>
/// An argon2 hash in the PHC string format, as Auth0's import takes it in <c>hash.value</c>:
/// <c>$argon2id$v=19$m=65536,t=3,p=4$&lt;B64 salt&gt;$&lt;B64 hash&gt;</c>. Parsed by hand (see <see cref="CustomPasswordHash"/>).
/// </summary>
internal sealed record Argon2Phc(string Variant, int MemoryKib, int Iterations, int Parallelism, byte[] Salt, byte[] Hash)
{
    public static Argon2Phc Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var fields = value.Split('$');

        // ["", variant, "v=19", params, salt, hash] (the version field may be missing: version 16 hashes, unsupported).
        if (fields is not ["", "argon2i" or "argon2d" or "argon2id", "v=19", var parameters, var salt, var hash])
        {
            throw new FormatException("hash.value is not an argon2 PHC string ($argon2id$v=19$m=…,t=…,p=…$salt$hash)");
        }

        int? memory = null, iterations = null, parallelism = null;
        foreach (var pair in parameters.Split(','))
        {
            var (name, number) = (pair.Split('=') is [var n, var v] && int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0)
                ? (n, parsed)
                : throw new FormatException($"argon2 parameter \"{pair}\" is not name=positive integer");
            switch (name)
            {
                case "m": memory = number; break;
                case "t": iterations = number; break;
                case "p": parallelism = number; break;
                default: throw new FormatException($"Unknown argon2 parameter \"{name}\"");
            }
        }

        // Bounds keep a crafted import from costing the login endpoint more than a strong hash would (4 GiB, 100 passes).
        if (memory is not { } m || iterations is not { } t || parallelism is not { } p || m > 4 * 1024 * 1024 || t > 100 || p > 64)
        {
            throw new FormatException("argon2 needs m, t and p within bounds (m ≤ 4194304, t ≤ 100, p ≤ 64)");
        }

        var hashBytes = PhcBase64.Decode(hash);
        return hashBytes.Length < 4 ? throw new FormatException("argon2 hash is too short") : new(fields[1], m, t, p, PhcBase64.Decode(salt), hashBytes);
    }
}
