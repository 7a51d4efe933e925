using System.Globalization;
using System.Security.Cryptography;

namespace Latchkey.Server.Logs;

/// <summary>
/// Auth0's <c>log_id</c> form: 56 digits, <c>900</c>, the UTC time to the millisecond (<c>yyyyMMddHHmmssfff</c>), then 36
/// digits (here: 18 for the node, drawn at start, and an 18-digit counter). Ids are assigned when entries are stored, so
/// on one node they sort in storage order, which is what checkpoint paging (<c>from</c>) follows (Auth0: "ordered by
/// the log_id, rather than event generation time, to prevent skipping past records due to system delays").
/// </summary>
internal static class LogIds
{
    public const int Length = 56;

    private const string Prefix = "900";
    private static readonly string Node = RandomDigits(18);
    private static long s_sequence;

    public static string Next(DateTimeOffset now) => string.Create(CultureInfo.InvariantCulture,
        $"{Prefix}{now.UtcDateTime:yyyyMMddHHmmssfff}{Node}{Interlocked.Increment(ref s_sequence) % 1_000_000_000_000_000_000:D18}");

    /// <summary>Whether <paramref name="value"/> has the form of a log id (checked before a query uses it).</summary>
    public static bool IsWellFormed(string? value) =>
        value is { Length: Length } && value.StartsWith(Prefix, StringComparison.Ordinal) && value.All(char.IsAsciiDigit);

    private static string RandomDigits(int count) =>
        string.Concat(Enumerable.Range(0, count).Select(_ => (char)('0' + RandomNumberGenerator.GetInt32(10))));
}
