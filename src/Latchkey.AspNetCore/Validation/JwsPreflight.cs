using System.Buffers.Text;
using System.Text.Json;

namespace Latchkey.AspNetCore.Validation;

/// <summary>
/// Structural checks Microsoft.IdentityModel does not make, run once per distinct token before signature validation:
/// compact JWS shape (no JWE), no duplicate JSON members (RFC 7515 §4 / RFC 7519 §4: names must be unique; IdentityModel
/// silently keeps one of them, so <c>{"alg":"RS256","alg":"none"}</c> would be read differently by different parsers),
/// UTF-8 JSON objects only, an allow-listed <c>alg</c>, no <c>crit</c> extensions (we understand none, RFC 7515 §4.1.11). Returns the header's <c>kid</c>.
/// </summary>
internal static class JwsPreflight
{
    private static readonly JsonDocumentOptions Strict = new()
    {
        AllowDuplicateProperties = false,
        MaxDepth = 16,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    /// <summary>Null when the token may go on to signature validation, otherwise a short reason.</summary>
    public static string? Check(string token, IReadOnlySet<string> algorithms, out string? keyId)
    {
        keyId = null;
        var first = token.IndexOf('.', StringComparison.Ordinal);
        var second = first < 0 ? -1 : token.IndexOf('.', first + 1);
        if (first <= 0 || second < 0)
        {
            return "malformed token";
        }

        if (token.IndexOf('.', second + 1) >= 0)
        {
            return token.AsSpan().Count('.') == 4 ? "encrypted tokens are not accepted" : "malformed token";
        }

        if (second == first + 1)
        {
            return "malformed token";
        }

        if (token.Contains('=', StringComparison.Ordinal))
        {
            return "malformed token";
        }

        using (var header = Parse(token.AsSpan(0, first)))
        {
            if (header is null)
            {
                return "malformed token header";
            }

            var root = header.RootElement;
            if (root.TryGetProperty("crit", out _))
            {
                return "unsupported critical header parameter";
            }

            // Allow-list, compared exactly: "nOnE" is not "none" nor anything allowed (RFC 8725 §3.1).
            if (!root.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String || !algorithms.Contains(alg.GetString()!))
            {
                return "unsupported algorithm";
            }

            if (root.TryGetProperty("kid", out var kid))
            {
                if (kid.ValueKind != JsonValueKind.String)
                {
                    return "malformed token header";
                }

                keyId = kid.GetString();
            }
        }

        using (var payload = Parse(token.AsSpan(first + 1, second - first - 1)))
        {
            if (payload is null)
            {
                return "malformed token payload";
            }
        }

        return second == token.Length - 1 ? "missing signature" : null;
    }

    private static JsonDocument? Parse(ReadOnlySpan<char> segment)
    {
        try
        {
            var bytes = Base64Url.DecodeFromChars(segment);
            var document = JsonDocument.Parse(bytes, Strict);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                return null;
            }

            return document;
        }
        catch (FormatException)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
