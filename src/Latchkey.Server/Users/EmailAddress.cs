using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Latchkey.Server.Users;

/// <summary>
/// The one email rule, used by sign-up, login, the tenant file and the Management API (docs/security.md, "Email
/// addresses"). An address is accepted, and reduced to the key that identifies its account, as follows:
/// <list type="number">
/// <item>Trimmed, put in Unicode NFC (so <c>é</c> typed as <c>e</c> + combining accent is the same address), then checked
/// for shape: one <c>@</c>, something on each side, a dot inside the domain, no spaces, controls or
/// <c>&lt;&gt;"(),;[]\</c>, at most <see cref="MaxLength"/> characters.</item>
/// <item>The domain is converted to its ASCII form (IDNA, <see cref="IdnMapping"/> with STD3 rules:
/// <c>bücher.example</c> and <c>xn--bcher-kva.example</c> are one domain) and lower-cased.</item>
/// <item>The local part is lower-cased with the invariant culture (Auth0 lower-cases emails too). Lower-casing, unlike
/// the previous upper-casing, maps no non-ASCII letter onto an ASCII one (.NET leaves <c>ı</c> and <c>İ</c> alone;
/// upper-casing turned <c>ſ</c> into <c>S</c>), so two different addresses never share a key unless they are the
/// same text in Unicode's eyes.</item>
/// <item>Look-alikes are refused, not folded: a local part whose letters mix scripts (Latin with Cyrillic or Greek…;
/// Latin with Chinese, Japanese or Korean is allowed, as UTS #39's "highly restrictive" level does), one with a
/// compatibility character (full-width letters, ligatures, <c>ſ</c>: NFKC would change it), and one with a Latin letter
/// that imitates an ASCII letter without a visible mark (dotless <c>ı</c> and <c>ȷ</c>, <c>ĸ</c>, click letters, IPA and
/// phonetic letters). <c>admın@example.com</c> therefore cannot sit next to <c>admin@example.com</c>.</item>
/// </list>
/// NFC and IDNA need ICU (the server opts out of invariant globalization). If a host runs in invariant mode anyway,
/// normalization is unavailable and addresses with non-ASCII characters are refused rather than compared unnormalized.
/// </summary>
internal static class EmailAddress
{
    public const int MaxLength = 320;

    public const string NotAnAddress = "is not an email address";
    public const string MixedScripts = "mixes alphabets before the @ (look-alike addresses are not accepted)";
    public const string LookAlike = "contains a character that imitates another before the @ (look-alike addresses are not accepted)";
    public const string BadDomain = "has a domain that is not a valid (internationalised) domain name";
    public const string NeedsUnicode = "contains non-ASCII characters, which this server cannot normalize (it runs without ICU)";

    /// <summary>Whether the runtime really normalizes Unicode (false in globalization-invariant mode, where it is a no-op).</summary>
    private static readonly bool UnicodeAvailable = "e\u0301".Normalize(NormalizationForm.FormC) == "\u00e9";

    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true, AllowUnassigned = false };

    public static bool IsValid(string? value) => TryNormalize(value, out _, out _, out _);

    /// <summary>
    /// The account key of <paramref name="email"/>. Input that is not an acceptable address (typed at the login page)
    /// gets a key no stored account has, so it finds nobody and is still counted by the login throttle.
    /// </summary>
    public static string Normalize(string email) =>
        TryNormalize(email, out _, out var key, out _) ? key : "#invalid:" + email.Trim().ToLowerInvariant();

    /// <param name="value">What was typed or imported.</param>
    /// <param name="display">The address to store and show: trimmed, NFC.</param>
    /// <param name="key">The account key: lower-cased local part, <c>@</c>, ASCII (IDNA) lower-cased domain.</param>
    /// <param name="problem">Why the address is refused, as the end of a sentence (<c>"… is not an email address"</c>).</param>
    public static bool TryNormalize(string? value, [NotNullWhen(true)] out string? display, [NotNullWhen(true)] out string? key, [NotNullWhen(false)] out string? problem)
    {
        display = key = null;
        problem = NotAnAddress;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var text = value.Trim();
        var ascii = text.All(char.IsAscii);
        if (!ascii && !UnicodeAvailable)
        {
            problem = NeedsUnicode;
            return false;
        }

        try
        {
            text = ascii ? text : text.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            // Invalid UTF-16 (a lone surrogate) cannot be normalized.
            return false;
        }

        var at = text.LastIndexOf('@');
        if (text.Length > MaxLength || at <= 0 || at != text.IndexOf('@', StringComparison.Ordinal) || at == text.Length - 1
            || text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or '"' or ',' or ';' or '(' or ')' or '[' or ']' or '\\'))
        {
            return false;
        }

        var local = text[..at];
        var domain = text[(at + 1)..];
        if (!domain.Contains('.', StringComparison.Ordinal) || domain.StartsWith('.') || domain.EndsWith('.'))
        {
            return false;
        }

        string asciiDomain;
        try
        {
            // Lower-cased first: IdnMapping would otherwise keep upper-case non-ASCII letters in the encoded label.
            asciiDomain = Idn.GetAscii(domain.ToLowerInvariant()).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            problem = BadDomain;
            return false;
        }

        if (!ascii && LocalPartProblem(local) is { } lookAlike)
        {
            problem = lookAlike;
            return false;
        }

        display = text;
        key = local.ToLowerInvariant() + "@" + asciiDomain;
        problem = null;
        return true;
    }

    /// <summary>What precedes the <c>@</c> (Auth0's default nickname).</summary>
    public static string LocalPart(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        return email[..Math.Max(0, email.IndexOf('@', StringComparison.Ordinal))];
    }

    private static string? LocalPartProblem(string local)
    {
        if (local.Normalize(NormalizationForm.FormKC) != local)
        {
            return LookAlike;
        }

        var scripts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rune in local.EnumerateRunes())
        {
            if (ImitatesAscii(rune.Value))
            {
                return LookAlike;
            }

            if (Rune.IsLetter(rune))
            {
                scripts.Add(ScriptOf(rune.Value));
            }
        }

        // UTS #39 "highly restrictive": one script, or Latin with the scripts of Chinese, Japanese and Korean.
        var cjk = scripts.Remove(Cjk);
        return scripts.Count > 1 || (cjk && scripts.Count == 1 && !scripts.Contains("latin")) ? MixedScripts : null;
    }

    private const string Cjk = "cjk";

    /// <summary>Latin letters that look like an ASCII letter with no visible difference (no mark to notice).</summary>
    private static bool ImitatesAscii(int c) =>
        c is 0x0131 or 0x0237 or 0x0138 or (>= 0x01C0 and <= 0x01C3) or (>= 0x0250 and <= 0x02AF) or (>= 0x1D00 and <= 0x1DBF);

    /// <summary>
    /// The script of a letter, by Unicode block (.NET has no Script property): the scripts look-alike attacks mix are
    /// named; any other letter is grouped by its 128-code-point block.
    /// </summary>
    private static string ScriptOf(int c) => c switch
    {
        < 0x0250 or (>= 0x1E00 and <= 0x1EFF) or (>= 0x2C60 and <= 0x2C7F) or (>= 0xA720 and <= 0xA7FF) or (>= 0xAB30 and <= 0xAB6F) => "latin",
        (>= 0x0370 and <= 0x03FF) or (>= 0x1F00 and <= 0x1FFF) => "greek",
        (>= 0x0400 and <= 0x052F) or (>= 0x1C80 and <= 0x1C8F) or (>= 0x2DE0 and <= 0x2DFF) or (>= 0xA640 and <= 0xA69F) => "cyrillic",
        >= 0x0530 and <= 0x058F => "armenian",
        >= 0x0590 and <= 0x05FF => "hebrew",
        (>= 0x0600 and <= 0x06FF) or (>= 0x0750 and <= 0x077F) or (>= 0x08A0 and <= 0x08FF) => "arabic",
        (>= 0x1100 and <= 0x11FF) or (>= 0x2E80 and <= 0x2FDF) or (>= 0x3040 and <= 0x30FF) or (>= 0x3100 and <= 0x318F)
            or (>= 0x31A0 and <= 0x31FF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x4E00 and <= 0x9FFF) or (>= 0xAC00 and <= 0xD7AF)
            or (>= 0xF900 and <= 0xFAFF) or (>= 0x20000 and <= 0x3FFFF) => Cjk,
        _ => "block-" + (c >> 7).ToString("x", CultureInfo.InvariantCulture),
    };
}
