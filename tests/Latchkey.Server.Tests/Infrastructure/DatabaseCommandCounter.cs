using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Latchkey.Server.Tests.Infrastructure;

/// <summary>
/// Counts the database commands (round trips) each tagged HTTP request makes: a request carrying the header
/// <see cref="HeaderName"/> has every command EF Core executes on its behalf recorded under the header's value.
/// Untagged work (other requests, background services) is not counted, so a count never depends on timing.
/// </summary>
public sealed class DatabaseCommandCounter(IHttpContextAccessor http) : DbCommandInterceptor
{
    public const string HeaderName = "X-Latchkey-Test-Request";

    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _commands = new(StringComparer.Ordinal);

    /// <summary>The commands (SQL text) recorded for a tag, in order.</summary>
    public IReadOnlyList<string> CommandsFor(string tag) => _commands.TryGetValue(tag, out var queue) ? [.. queue] : [];

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    private void Record(DbCommand command)
    {
        var tag = http.HttpContext?.Request.Headers[HeaderName].ToString();
        if (!string.IsNullOrEmpty(tag))
        {
            _commands.GetOrAdd(tag, _ => new ConcurrentQueue<string>()).Enqueue(command.CommandText);
        }
    }
}
