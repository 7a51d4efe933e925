using Microsoft.EntityFrameworkCore;

namespace Latchkey.Server.Persistence;

/// <summary>
/// Brings the schema up to date. When it is already current (every start but the first after an upgrade) this costs
/// one query. Callers hold <see cref="AdvisoryLock.StartupKey"/>, so nodes that start together on an empty database
/// apply the migrations once: the first takes the lock and migrates, the others wait, re-read the history and find
/// nothing left to do.
/// </summary>
internal sealed class DatabaseMigrator(IServiceScopeFactory scopes, ILogger<DatabaseMigrator> logger)
{
    /// <summary>The migrations this node applied (empty when another node or an earlier start had applied them).</summary>
    public IReadOnlyList<string> Applied { get; private set; } = [];

    public async Task<IReadOnlyList<string>> PendingAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();
        return [.. await db.Database.GetPendingMigrationsAsync(cancellationToken)];
    }

    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        var pending = await PendingAsync(cancellationToken);
        if (pending.Count == 0)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>().Database.MigrateAsync(cancellationToken);
        Applied = pending;
        logger.LogInformation("Applied {Count} migration(s): {Migrations}.", pending.Count, string.Join(", ", pending));
    }
}
