using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Latchkey.Server.Tests.Login;

/// <summary>
/// A concurrent request, scripted: watches the commands one <see cref="DbContext"/> (the request under test) sends to
/// the login-throttle table and runs another request's write at a chosen point between them — before the conditional
/// UPDATE, after an UPDATE that matched no row, or before the counter row's INSERT (at <c>SavingChanges</c>, before
/// EF Core opens its transaction, so the other connection's write is not blocked). Each hook runs on the watched
/// context's commands only; the other request's own commands go through another context and are not recorded.
/// </summary>
internal sealed class LoginThrottleInterleaving : DbCommandInterceptor, ISaveChangesInterceptor
{
    private const string Table = "\"LoginThrottles\"";

    /// <summary>The context whose commands are recorded and interleaved; null: none.</summary>
    public DbContext? Watched { get; set; }

    /// <summary>The watched context's commands on the table, by verb (<c>UPDATE</c>, <c>SELECT</c>, <c>INSERT</c>), in order.</summary>
    public List<string> Commands { get; } = [];

    /// <summary>Runs before each conditional UPDATE of the watched context.</summary>
    public Func<Task>? BeforeUpdate { get; set; }

    /// <summary>Runs after each UPDATE of the watched context that matched no row.</summary>
    public Func<Task>? AfterMissedUpdate { get; set; }

    /// <summary>Runs when the watched context starts saving a new counter row, before its INSERT.</summary>
    public Func<Task>? BeforeInsert { get; set; }

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (Record(command, eventData) == "UPDATE" && BeforeUpdate is { } before)
        {
            await before();
        }

        return result;
    }

    public override async ValueTask<int> NonQueryExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (IsWatched(command, eventData) && Verb(command) == "UPDATE" && result == 0 && AfterMissedUpdate is { } after)
        {
            await after();
        }

        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Record(command, eventData);
        return ValueTask.FromResult(result);
    }

    public async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context && ReferenceEquals(context, Watched) && BeforeInsert is { } before
            && context.ChangeTracker.Entries<AttackProtection.LoginThrottle>().Any(e => e.State == EntityState.Added))
        {
            await before();
        }

        return result;
    }

    private string? Record(DbCommand command, CommandEventData eventData)
    {
        if (!IsWatched(command, eventData))
        {
            return null;
        }

        var verb = Verb(command);
        lock (Commands)
        {
            Commands.Add(verb);
        }

        return verb;
    }

    private bool IsWatched(DbCommand command, CommandEventData eventData) =>
        Watched is not null && ReferenceEquals(eventData.Context, Watched) && command.CommandText.Contains(Table, StringComparison.Ordinal);

    private static string Verb(DbCommand command) =>
        command.CommandText.TrimStart().Split(' ', 2)[0].ToUpperInvariant();
}
