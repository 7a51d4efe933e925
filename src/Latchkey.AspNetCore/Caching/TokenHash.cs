using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Latchkey.AspNetCore.Caching;

/// <summary>
/// SHA-256 of the whole raw token: the cache key. A cryptographic hash, because a collision would hand one token's
/// validated claims to another; keyed on the whole token (signature included), so a tampered token never matches.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct TokenHash : IEquatable<TokenHash>
{
    [ThreadStatic]
    private static IncrementalHash? t_hasher;

    private readonly ulong _a;
    private readonly ulong _b;
    private readonly ulong _c;
    private readonly ulong _d;

    private TokenHash(ulong a, ulong b, ulong c, ulong d)
    {
        _a = a;
        _b = b;
        _c = c;
        _d = d;
    }

    /// <summary>Hashes the token's ASCII bytes. False when the token has a non-ASCII character (never a valid JWS).</summary>
    public static bool TryCompute(ReadOnlySpan<char> token, out TokenHash hash)
    {
        const int StackLimit = 4096;
        byte[]? rented = null;
        var bytes = token.Length <= StackLimit
            ? stackalloc byte[StackLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(token.Length));
        try
        {
            if (Ascii.FromUtf16(token, bytes, out var written) != OperationStatus.Done)
            {
                hash = default;
                return false;
            }

            // One reusable hasher per thread: the one-shot API sets up a new OpenSSL digest context on every call
            // (compare with bench/ HashBenchmarks on your machine).
            var hasher = t_hasher ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            Span<ulong> digest = stackalloc ulong[4];
            hasher.AppendData(bytes[..written]);
            hasher.GetHashAndReset(MemoryMarshal.AsBytes(digest));
            hash = new TokenHash(digest[0], digest[1], digest[2], digest[3]);
            return true;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    public bool Equals(TokenHash other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;

    public override bool Equals(object? obj) => obj is TokenHash other && Equals(other);

    // The digest is uniformly distributed already; any 32 bits of it make a good hash code.
    public override int GetHashCode() => (int)_a;

    public static bool operator ==(TokenHash left, TokenHash right) => left.Equals(right);

    public static bool operator !=(TokenHash left, TokenHash right) => !left.Equals(right);
}
