namespace Latchkey.Server.Tenants.Rules;

/// <summary>The checks every entity's text, choice and number members share, with one wording.</summary>
internal static class ValueRules
{
    /// <summary>Trimmed text: at most <paramref name="maxLength"/> characters, no NUL, and not empty when <paramref name="required"/>.</summary>
    public static string? Text(string value, int maxLength, bool required)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (required && value.Length == 0)
        {
            return "must not be empty";
        }

        if (value.Length > maxLength)
        {
            return $"must be at most {maxLength} characters";
        }

        return value.Contains('\0', StringComparison.Ordinal) ? "must not contain NUL characters" : null;
    }

    /// <summary>A display name (API, Application): 1 to <paramref name="maxLength"/> characters, without <c>&lt;</c> or <c>&gt;</c> (Auth0's rule).</summary>
    public static string? Name(string value, int maxLength) =>
        Text(value, maxLength, required: true) ?? (value.AsSpan().IndexOfAny('<', '>') >= 0 ? "must not contain '<' or '>'" : null);

    public static string? OneOf(string value, IReadOnlyCollection<string> allowed) =>
        allowed.Contains(value, StringComparer.Ordinal) ? null : $"unknown value \"{value}\" (expected one of: {string.Join(", ", allowed)})";

    public static string? Range(int value, int min, int max) =>
        value < min || value > max ? $"{value} is out of range ({min} to {max})" : null;

    /// <summary>
    /// A scope or permission name: RFC 6749 §3.3 scope-token (printable ASCII without space, <c>"</c> or <c>\</c>), at
    /// most 280 characters (Auth0's limit).
    /// </summary>
    public static string? Scope(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length is 0 or > 280 || !value.All(c => c is >= '!' and <= '~' && c is not '"' and not '\\'))
        {
            return $"\"{value}\" is not a valid scope (printable ASCII without spaces, quotes or backslashes; RFC 6749 §3.3)";
        }

        return null;
    }

    /// <summary>Adds <paramref name="problem"/> at <paramref name="path"/> when there is one.</summary>
    public static void Add(this List<RuleProblem> problems, string path, string? problem)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (problem is not null)
        {
            problems.Add(new RuleProblem(path, problem));
        }
    }
}
