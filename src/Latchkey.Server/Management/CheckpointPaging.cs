namespace Latchkey.Server.Management;

/// <summary>
/// Auth0's checkpoint paging (<c>from</c>, <c>take</c> → <c>{&lt;collection&gt;, next}</c>), as node-auth0 v5+ asks for
/// client grants, connections and a user's refresh tokens. <c>from</c> is an opaque cursor, exclusive as Auth0
/// documents it: the <c>next</c> of the previous page, which is that page's last id. A list that also pages by offset
/// (<see cref="PageRequest"/>) refuses the two mixed. node-auth0 sends <c>include_totals=true</c> with every checkpoint
/// request and Auth0 answers the checkpoint page, so <c>include_totals</c> does not count as offset paging.
/// (The tenant log pages by checkpoint too, with its own order and <c>Link</c> header: <c>Logs/LogsApi</c>.)
/// </summary>
internal sealed record CheckpointPaging(string? From, int Take)
{
    private static readonly string[] OffsetParameters = ["page", "per_page"];

    /// <summary>
    /// The checkpoint the request asks for: null when it has neither <c>from</c> nor <c>take</c>; a problem when a value
    /// is bad, or when it is mixed with <c>page</c>/<c>per_page</c> and <paramref name="offsetPagingToo"/>.
    /// </summary>
    public static ManagementProblem? Read(HttpRequest request, bool offsetPagingToo, out CheckpointPaging? checkpoint)
    {
        ArgumentNullException.ThrowIfNull(request);
        checkpoint = null;
        var fromProblem = ManagementQuery.Text(request, "from", out var from);
        var takeProblem = ManagementQuery.Int(request, "take", 1, PageRequest.MaxPerPage, out var take);
        if ((fromProblem ?? takeProblem) is { } problem)
        {
            return problem;
        }

        if (!request.Query.ContainsKey("from") && !request.Query.ContainsKey("take"))
        {
            return null;
        }

        if (offsetPagingToo && OffsetParameters.FirstOrDefault(request.Query.ContainsKey) is { } offset)
        {
            return ManagementQuery.Invalid("from/take (checkpoint) and page/per_page (offset) paging cannot be combined", offset);
        }

        checkpoint = new CheckpointPaging(from, take ?? PageRequest.DefaultPerPage);
        return null;
    }

    /// <summary>The page after <see cref="From"/> of a list in ascending ordinal order of id, and its <c>next</c>.</summary>
    public (IReadOnlyList<T> Items, string? Next) Slice<T>(IEnumerable<T> orderedById, Func<T, string> id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var rest = orderedById.Where(item => From is null || string.CompareOrdinal(id(item), From) > 0).Take(Take + 1).ToList();
        var page = rest.Take(Take).ToList();
        return (page, rest.Count > Take ? id(page[^1]) : null);
    }
}
