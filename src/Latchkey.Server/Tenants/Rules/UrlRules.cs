namespace Latchkey.Server.Tenants.Rules;

/// <summary>
/// What a callback, logout URL or origin of an Application may be (tenant file and Management API alike).
/// Decision: http is allowed only for loopback hosts (localhost, 127.0.0.0/8, [::1], *.localhost) everywhere, callbacks included, because RFC 9700 §2.6 / OAuth 2.1
/// require TLS for redirect URIs except loopback; anything else must use https. Native applications may also use a
/// private-use scheme with a dot in it (RFC 8252 §7.1, e.g. <c>com.example.app:/callback</c>).
/// No wildcards (Auth0 allows subdomain wildcards; exact matching is the RFC 9700 §4.1.3 recommendation).
/// </summary>
internal static class UrlRules
{
    private const int MaxLength = 2048;

    /// <summary>Returns what is wrong with a callback or logout URL, or null when it is acceptable.</summary>
    public static string? CheckUrl(string value, bool allowPrivateUseScheme)
    {
        if (CheckCommon(value) is { } problem)
        {
            return problem;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || !value.Contains(':', StringComparison.Ordinal))
        {
            return $"\"{value}\" is not an absolute http(s) URL";
        }

        // A private-use scheme needs a dot (reverse domain name, RFC 8252 §7.1), so javascript:, data:, file:, blob: and
        // the like never qualify.
        var isHttp = uri.Scheme is "http" or "https";
        var isPrivateUse = allowPrivateUseScheme && !isHttp && uri.Scheme.Contains('.', StringComparison.Ordinal);
        if (!isHttp && !isPrivateUse)
        {
            return $"\"{value}\" is not an absolute http(s) URL";
        }

        if (value.Contains('#', StringComparison.Ordinal))
        {
            return $"\"{value}\" must not contain a fragment (#)";
        }

        if (isHttp)
        {
            return CheckHttpAuthority(value, uri);
        }

        return null;
    }

    /// <summary>Returns what is wrong with a web origin / allowed origin, or null. A trailing slash is tolerated.</summary>
    public static string? CheckOrigin(string value)
    {
        if (CheckCommon(value) is { } problem)
        {
            return problem;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return $"\"{value}\" is not an absolute http(s) origin";
        }

        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || value.Contains('#', StringComparison.Ordinal))
        {
            return $"\"{value}\" is not an origin (scheme://host[:port], no path, query or fragment)";
        }

        return CheckHttpAuthority(value, uri);
    }

    private static string? CheckCommon(string value)
    {
        if (value.Length == 0)
        {
            return "must not be empty";
        }

        if (value.Length > MaxLength)
        {
            return $"must be at most {MaxLength} characters";
        }

        if (value.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            return $"\"{Printable(value)}\" contains whitespace or control characters";
        }

        if (value.Contains('*', StringComparison.Ordinal))
        {
            return $"\"{value}\" contains a wildcard; list each URL exactly";
        }

        return null;
    }

    private static string? CheckHttpAuthority(string value, Uri uri)
    {
        if (uri.UserInfo.Length > 0)
        {
            return $"\"{value}\" must not contain user information (user:password@)";
        }

        if (uri.Scheme == "http" && !IsLoopback(uri))
        {
            return $"\"{value}\" uses http; only localhost and loopback addresses may use http, use https";
        }

        return null;
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || uri.Host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);

    private static string Printable(string value) =>
        string.Concat(value.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
}
