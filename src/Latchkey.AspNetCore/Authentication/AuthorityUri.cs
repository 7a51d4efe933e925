using System.Net;

namespace Latchkey.AspNetCore.Authentication;

/// <summary>Turns the configured <c>Authority</c> into the exact issuer string tokens carry.</summary>
internal static class AuthorityUri
{
    /// <summary>
    /// <c>auth.example.com</c> → <c>https://auth.example.com/</c>; <c>http://localhost:5000</c> → <c>http://localhost:5000/</c>.
    /// Null with a message saying what to change when the value cannot be an issuer.
    /// </summary>
    public static Uri? TryNormalize(string? raw, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(raw))
        {
            error = "Latchkey:Authority is required: the issuer URL of your Latchkey tenant, e.g. https://auth.example.com/.";
            return null;
        }

        var value = raw.Trim();
        if (!value.Contains("://", StringComparison.Ordinal))
        {
            value = "https://" + value;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            error = $"Latchkey:Authority '{raw}' is not an http(s) URL without query, fragment or credentials.";
            return null;
        }

        return new Uri(uri.AbsoluteUri.TrimEnd('/') + "/", UriKind.Absolute);
    }

    /// <summary>localhost, 127.0.0.0/8 and ::1: plain http there never leaves the machine.</summary>
    public static bool IsLoopback(Uri uri) =>
        uri.IsLoopback
        || string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
