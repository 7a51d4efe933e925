using System.Linq.Expressions;
using Latchkey.Server.Logs;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace Latchkey.Server.Management.Logs;

/// <summary>
/// Management API v2, the tenant log (docs/logs.md): <c>GET /logs</c> (search with <c>q</c>, offset paging, or
/// checkpoint paging with <c>from</c>/<c>take</c>), <c>GET /logs/{id}</c> and <c>GET /users/{id}/logs</c>, with Auth0's
/// scopes, parameters, limits and operation ids. Entries are written by <see cref="TenantLogWriter"/>.
/// </summary>
internal static class LogsApi
{
    /// <summary>Auth0: "you may paginate only through 1,000 search results"; beyond, checkpoint paging reads on.</summary>
    public const int MaxSearchResults = 1000;

    /// <summary>Auth0's <c>take</c>: default 50, at most 100.</summary>
    public const int DefaultTake = 50;
    public const int MaxTake = 100;

    public static RouteGroupBuilder MapLogsApi(this RouteGroupBuilder api)
    {
        var logs = api.MapGroup(string.Empty).WithTags("Logs");

        logs.MapGet("/logs", ListAsync)
            .WithName("get_logs")
            .WithSummary("Search log events (q, sort=date:1|-1, fields), or read on from a checkpoint (from, take)")
            .RequireManagementScope(ManagementScopes.ReadLogs);

        logs.MapGet("/logs/{id}", GetAsync)
            .WithName("get_logs_by_id")
            .WithSummary("Get a log event by its log_id")
            .RequireManagementScope(ManagementScopes.ReadLogs)
            .ProducesManagementError(StatusCodes.Status404NotFound);

        logs.MapGet("/users/{id}/logs", ListForUserAsync)
            .WithName("get_logs_by_user")
            .WithSummary("Get a user's log events")
            .RequireManagementScope(ManagementScopes.ReadLogs, ManagementScopes.ReadLogsUsers);

        return api;
    }

    private static async Task<Results<PagedResult<LogResponse>, Ok<List<LogResponse>>, ManagementProblem>> ListAsync(
        PageRequest page,
        HttpRequest request,
        [FromQuery(Name = "q")] string? q,
        [FromQuery(Name = "sort")] string? sort,
        [FromQuery(Name = "fields")] string? fields,
        [FromQuery(Name = "include_fields")] string? includeFields,
        [FromQuery(Name = "from")] string? from,
        [FromQuery(Name = "take")] string? take,
        LatchkeyDbContext db,
        CancellationToken cancellationToken)
    {
        if (request.Query.ContainsKey("from") || request.Query.ContainsKey("take"))
        {
            return await CheckpointAsync(request, db, cancellationToken);
        }

        var queryProblem = ManagementQuery.Text(request, "q", out var query);
        var fieldsProblem = ManagementQuery.Fields(request, out var selection);
        var sortProblem = ReadSort(request, out var ascending);
        if ((queryProblem ?? fieldsProblem ?? sortProblem ?? Capped(page)) is { } problem)
        {
            return problem;
        }

        var entries = db.Set<LogEvent>().AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query))
        {
            if (LogQuery.Parse(query, out var unsupported) is not { } filter)
            {
                return ManagementQuery.Invalid(unsupported!, "q");
            }

            entries = entries.Where(filter);
        }

        return await PageAsync(entries, page, ascending, selection, cancellationToken);
    }

    private static async Task<Results<Ok<LogResponse>, ManagementProblem>> GetAsync(string id, LatchkeyDbContext db, CancellationToken cancellationToken)
    {
        var entry = LogIds.IsWellFormed(id)
            ? await db.Set<LogEvent>().AsNoTracking().FirstOrDefaultAsync(e => e.LogId == id, cancellationToken)
            : null;
        return entry is null ? ManagementErrors.LogNotFound() : TypedResults.Ok(LogResponse.From(entry));
    }

    private static async Task<Results<PagedResult<LogResponse>, ManagementProblem>> ListForUserAsync(
        string id,
        PageRequest page,
        HttpRequest request,
        [FromQuery(Name = "sort")] string? sort,
        LatchkeyDbContext db,
        CancellationToken cancellationToken)
    {
        if ((ReadSort(request, out var ascending) ?? Capped(page)) is { } problem)
        {
            return problem;
        }

        // Auth0 answers an unknown user with an empty list: entries outlive deleted users until retention ends.
        return await PageAsync(db.Set<LogEvent>().AsNoTracking().Where(e => e.UserId == id), page, ascending, selection: null, cancellationToken);
    }

    /// <summary>
    /// Checkpoint paging: the <c>take</c> entries stored after the entry <c>from</c> (from the oldest without it), in
    /// <c>log_id</c> order; every other parameter is ignored (Auth0). The <c>Link</c> header's <c>next</c> continues from
    /// the last entry (the same URL when there was none), as Auth0's does.
    /// </summary>
    private static async Task<Results<PagedResult<LogResponse>, Ok<List<LogResponse>>, ManagementProblem>> CheckpointAsync(
        HttpRequest request, LatchkeyDbContext db, CancellationToken cancellationToken)
    {
        var fromProblem = ManagementQuery.Text(request, "from", out var from);
        var takeProblem = ManagementQuery.Int(request, "take", 1, MaxTake, out var take);
        if ((fromProblem ?? takeProblem) is { } problem)
        {
            return problem;
        }

        if (!string.IsNullOrEmpty(from) && !LogIds.IsWellFormed(from))
        {
            return ManagementQuery.Invalid("String does not match pattern: a log_id of 56 digits", "from");
        }

        var entries = db.Set<LogEvent>().AsNoTracking();
        if (!string.IsNullOrEmpty(from))
        {
            entries = entries.Where(e => e.LogId.CompareTo(from) > 0);
        }

        var count = take ?? DefaultTake;
        var items = (await entries.OrderBy(e => e.LogId).Take(count).ToListAsync(cancellationToken)).Select(LogResponse.From).ToList();
        var next = QueryHelpers.AddQueryString(
            $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}",
            new Dictionary<string, string?> { ["from"] = items.Count > 0 ? items[^1].LogId : from, ["take"] = count.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        // A response header, not the body: the typed result still writes the answer.
        request.HttpContext.Response.Headers.Link = $"<{next}>; rel=\"next\"";
        return TypedResults.Ok(items);
    }

    private static async Task<PagedResult<LogResponse>> PageAsync(
        IQueryable<LogEvent> entries, PageRequest page, bool ascending, (IReadOnlySet<string> Fields, bool Include)? selection, CancellationToken cancellationToken)
    {
        var total = page.IncludeTotals ? await entries.CountAsync(cancellationToken) : 0;
        var ordered = ascending
            ? entries.OrderBy(e => e.Date).ThenBy(e => e.LogId)
            : entries.OrderByDescending(e => e.Date).ThenByDescending(e => e.LogId);
        var rows = await ordered.Skip(page.Skip).Take(page.PerPage).ToListAsync(cancellationToken);
        var items = rows.Select(LogResponse.From).Select(r => selection is { } s ? r.Select(s.Fields, s.Include) : r).ToList();
        return page.Respond(items, total);
    }

    /// <summary>Auth0 sorts logs by date only: <c>date:-1</c> (newest first, the default) or <c>date:1</c>.</summary>
    private static ManagementProblem? ReadSort(HttpRequest request, out bool ascending)
    {
        ascending = false;
        if (ManagementQuery.Text(request, "sort", out var sort) is { } problem)
        {
            return problem;
        }

        switch (sort)
        {
            case null or "date:-1":
                return null;
            case "date:1":
                ascending = true;
                return null;
            default:
                return ManagementQuery.Invalid("String does not match pattern: date:1 or date:-1", "sort");
        }
    }

    private static ManagementProblem? Capped(PageRequest page) =>
        page.Skip + page.PerPage > MaxSearchResults
            ? ManagementErrors.InvalidQuery($"You can only page through the first {MaxSearchResults} records. Use checkpoint paging (from, take) to read further.")
            : null;
}
