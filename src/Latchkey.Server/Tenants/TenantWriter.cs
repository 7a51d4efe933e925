using Latchkey.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Latchkey.Server.Tenants;

/// <summary>
/// The one way tenant configuration (APIs, Applications, client grants, roles, connection settings, signing keys) is
/// written: the change, its save and the increment of <see cref="TenantVersion"/> commit in one transaction, so a node
/// that sees the new version also sees the change. This node's <see cref="TenantCache"/> reloads before
/// <see cref="WriteAsync"/> returns; the others notice within <see cref="TenantVersionWatcher.Interval"/>.
/// Users and logs are not tenant configuration: they are read from the database per request and need no version.
/// </summary>
internal sealed class TenantWriter(LatchkeyDbContext db, TenantCache cache, TimeProvider time)
{
    /// <summary>
    /// Runs <paramref name="change"/> (which adds, changes or removes entities through the scoped
    /// <see cref="LatchkeyDbContext"/>: tracked changes, which it may save itself, or bulk <c>ExecuteUpdate</c>/
    /// <c>ExecuteDelete</c>) in a transaction, saves, bumps the version and commits. An exception rolls everything back
    /// and bumps nothing. A write that changed nothing still bumps: every node reloads once, which is cheaper than the
    /// bookkeeping that could miss a bulk change.
    /// </summary>
    public async Task WriteAsync(Func<CancellationToken, Task> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await change(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await BumpAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await cache.RefreshAsync(cancellationToken);
    }

    /// <summary>
    /// <see cref="WriteAsync"/> for a change made of tracked entities only (no <c>ExecuteUpdate</c>/<c>ExecuteDelete</c>,
    /// which this cannot see): when nothing was saved, the version is not bumped and no node reloads. For upserts that
    /// usually find everything as it should be (the built-in Management API at every start). Returns whether anything
    /// was written.
    /// </summary>
    public async Task<bool> WriteIfChangedAsync(Func<CancellationToken, Task> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        var saved = 0;
        void Count(object? sender, SavedChangesEventArgs e) => saved += e.EntitiesSavedCount;
        db.SavedChanges += Count;
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await change(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            if (saved == 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                return false;
            }

            await BumpAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            db.SavedChanges -= Count;
        }

        await cache.RefreshAsync(cancellationToken);
        return true;
    }

    private Task<int> BumpAsync(CancellationToken cancellationToken) =>
        db.Set<TenantVersion>()
            .Where(v => v.Id == TenantVersion.SingletonId)
            .ExecuteUpdateAsync(v => v.SetProperty(x => x.Version, x => x.Version + 1).SetProperty(x => x.ChangedAt, time.GetUtcNow()), cancellationToken);
}
