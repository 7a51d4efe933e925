using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace Latchkey.Server.Management;

/// <summary>
/// Auth0's paging query, bound as a handler parameter: <c>page</c> (0-based, default 0), <c>per_page</c> (1 to
/// <see cref="MaxPerPage"/>, default <see cref="DefaultPerPage"/>) and <c>include_totals</c> (<c>true</c>/<c>false</c>).
/// A bad value is Auth0's 400 <c>invalid_query_string</c>. Answer with <see cref="Respond{TItem}"/>.
/// </summary>
internal sealed class PageRequest : IManagementInput, IEndpointParameterMetadataProvider
{
    public const int DefaultPerPage = 50;
    public const int MaxPerPage = 100;

    private PageRequest(int page, int perPage, bool includeTotals, ManagementProblem? problem)
    {
        Page = page;
        PerPage = perPage;
        IncludeTotals = includeTotals;
        Problem = problem;
    }

    public int Page { get; }

    public int PerPage { get; }

    public bool IncludeTotals { get; }

    /// <summary>Rows to skip: <c>page * per_page</c>.</summary>
    public int Skip => Page * PerPage;

    public ManagementProblem? Problem { get; }

    /// <summary>
    /// The answer for one page: a bare array, or with <c>include_totals=true</c> Auth0's
    /// <c>{start, limit, length, total, &lt;collection&gt;}</c>.
    /// </summary>
    public PagedResult<TItem> Respond<TItem>(IReadOnlyList<TItem> items, int total)
        where TItem : IPagedItem => new(this, items, total);

    public static ValueTask<PageRequest> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        ArgumentNullException.ThrowIfNull(context);
        var query = context.Request.Query;
        var pageProblem = ReadInt(query, "page", 0, int.MaxValue / MaxPerPage, 0, out var page);
        var perPageProblem = ReadInt(query, "per_page", 1, MaxPerPage, DefaultPerPage, out var perPage);
        var totalsProblem = ReadBool(query, "include_totals", out var includeTotals);
        var problem = pageProblem ?? perPageProblem ?? totalsProblem;
        return ValueTask.FromResult(problem is null
            ? new PageRequest(page, perPage, includeTotals, null)
            : new PageRequest(0, DefaultPerPage, false, ManagementErrors.InvalidQuery(problem)));
    }

    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(PagingMetadata.Instance);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status400BadRequest, typeof(ManagementError), ["application/json"]));
    }

    private static string? ReadInt(IQueryCollection query, string name, int min, int max, int fallback, out int value)
    {
        value = fallback;
        if (!query.TryGetValue(name, out var values))
        {
            return null;
        }

        if (values.Count > 1 || !int.TryParse(values[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            return Describe($"Expected type integer but found type {(values.Count > 1 ? "array" : "string")}", name);
        }

        return value < min ? Describe($"Value {value} is less than minimum {min}", name)
            : value > max ? Describe($"Value {value} is greater than maximum {max}", name)
            : null;
    }

    private static string? ReadBool(IQueryCollection query, string name, out bool value)
    {
        value = false;
        if (!query.TryGetValue(name, out var values))
        {
            return null;
        }

        if (values.Count == 1 && values[0] is "true" or "false")
        {
            value = values[0] == "true";
            return null;
        }

        return Describe($"Expected type boolean but found type {(values.Count > 1 ? "array" : "string")}", name);
    }

    private static string Describe(string problem, string name) => $"Query validation error: '{problem}' on property {name}.";
}
