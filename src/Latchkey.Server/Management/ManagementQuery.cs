using System.Globalization;

namespace Latchkey.Server.Management;

/// <summary>
/// Query-string values an endpoint reads beside paging (<c>fields</c>, <c>include_fields</c>, filters), bound as
/// strings and checked here so that a bad value is Auth0's 400 <c>invalid_query_string</c> with Auth0's wording, not
/// ASP.NET's binding failure.
/// </summary>
internal static class ManagementQuery
{
    /// <summary><c>true</c>/<c>false</c>, or null when absent; a problem otherwise.</summary>
    public static ManagementProblem? Bool(HttpRequest request, string name, out bool? value)
    {
        ArgumentNullException.ThrowIfNull(request);
        value = null;
        if (!request.Query.TryGetValue(name, out var values))
        {
            return null;
        }

        if (values.Count == 1 && values[0] is "true" or "false")
        {
            value = values[0] == "true";
            return null;
        }

        return Invalid($"Expected type boolean but found type {(values.Count > 1 ? "array" : "string")}", name);
    }

    /// <summary>A single string, or null when absent; a repeated parameter is a problem.</summary>
    public static ManagementProblem? Text(HttpRequest request, string name, out string? value)
    {
        ArgumentNullException.ThrowIfNull(request);
        value = null;
        if (!request.Query.TryGetValue(name, out var values))
        {
            return null;
        }

        if (values.Count != 1)
        {
            return Invalid("Expected type string but found type array", name);
        }

        value = values[0];
        return null;
    }

    /// <summary>An integer in [<paramref name="min"/>, <paramref name="max"/>], or null when absent.</summary>
    public static ManagementProblem? Int(HttpRequest request, string name, int min, int max, out int? value)
    {
        ArgumentNullException.ThrowIfNull(request);
        value = null;
        if (!request.Query.TryGetValue(name, out var values))
        {
            return null;
        }

        if (values.Count != 1 || !int.TryParse(values[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return Invalid($"Expected type integer but found type {(values.Count > 1 ? "array" : "string")}", name);
        }

        value = number;
        return number < min ? Invalid($"Value {number} is less than minimum {min}", name)
            : number > max ? Invalid($"Value {number} is greater than maximum {max}", name)
            : null;
    }

    /// <summary>
    /// Auth0's <c>fields</c> (comma-separated member names) and <c>include_fields</c> (default <c>true</c>): the selection,
    /// or null when <c>fields</c> is absent or empty.
    /// </summary>
    public static ManagementProblem? Fields(HttpRequest request, out (IReadOnlySet<string> Fields, bool Include)? selection)
    {
        selection = null;
        var fieldsProblem = Text(request, "fields", out var fields);
        var includeProblem = Bool(request, "include_fields", out var include);
        if ((fieldsProblem ?? includeProblem) is { } problem)
        {
            return problem;
        }

        if (!string.IsNullOrWhiteSpace(fields))
        {
            selection = (fields.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal), include ?? true);
        }

        return null;
    }

    /// <summary>Auth0's wording for a query parameter it refuses.</summary>
    public static ManagementProblem Invalid(string problem, string name) =>
        ManagementErrors.InvalidQuery($"Query validation error: '{problem}' on property {name}.");
}
