using System.Text.Encodings.Web;
using Latchkey.Server.Sessions;

namespace Latchkey.Server.Login;

/// <summary>
/// Where the login pages may send the browser afterwards: only a local path on this server (AZ-16). Refused, in raw
/// and in percent-decoded form: anything not starting with a single <c>/</c> (<c>//evil</c>, <c>/\evil</c>,
/// <c>https:evil</c>, <c>\\evil</c>), backslashes anywhere, whitespace and control characters
/// (<c>/%09/evil</c>, CVE-2024-39694) in the path, and over-long values. A refused value falls back to <see cref="Default"/>.
/// </summary>
internal static class ReturnUrl
{
    public const string Default = SessionDefaults.LoginPath;
    private const int MaxLength = 8192;

    public static bool IsSafe(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength)
        {
            return false;
        }

        // The path is also checked decoded (a browser or proxy may decode %2F, %5C, %09); the query is checked
        // raw only, because it legitimately carries encoded URLs and spaces (redirect_uri, scope).
        var pathEnd = value.IndexOfAny(['?', '#']);
        var path = pathEnd < 0 ? value : value[..pathEnd];
        return IsSafeLocalPath(value) && IsSafeLocalPath(Decode(path));
    }

    public static string OrDefault(string? value) => IsSafe(value) ? value! : Default;

    private static bool IsSafeLocalPath(string value)
    {
        if (value.Length == 0 || value[0] != '/')
        {
            return false;
        }

        if (value.Length > 1 && value[1] is '/' or '\\')
        {
            return false;
        }

        foreach (var c in value)
        {
            // IsWhiteSpace covers U+2028/U+2029 (line and paragraph separators) and U+00A0; U+FEFF is a format character.
            if (c == '\\' || char.IsControl(c) || char.IsWhiteSpace(c) || c == '\uFEFF')
            {
                return false;
            }
        }

        return Uri.TryCreate(value, UriKind.Relative, out _);
    }

    private static string Decode(string value)
    {
        // Decode repeatedly: a proxy or the browser may decode once more than we expect (%252F → %2F → /).
        var current = value;
        for (var i = 0; i < 3; i++)
        {
            var decoded = Uri.UnescapeDataString(current);
            if (decoded == current)
            {
                break;
            }

            current = decoded;
        }

        return current;
    }

    /// <summary>HTML-attribute-safe form of a value already known to be safe.</summary>
    public static string Encode(string value) => HtmlEncoder.Default.Encode(value);
}
