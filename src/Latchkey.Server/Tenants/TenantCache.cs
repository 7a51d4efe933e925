using Latchkey.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Primitives;

namespace Latchkey.Server.Tenants;

/// <summary>
/// Holds the current <see cref="TenantSnapshot"/>; the token endpoint reads only this (one volatile read, never a
/// query). It is replaced when the tenant version in the database moves: at once on the node that wrote
/// (<see cref="TenantWriter"/>), within <see cref="TenantVersionWatcher.Interval"/> on every other node.
/// Whatever derives state from the tenant (the signing-key ring, CORS origins…) can follow it with
/// <c>ChangeToken.OnChange(cache.GetChangeToken, reload)</c>.
/// </summary>
public sealed class TenantCache(IServiceScopeFactory scopes) : IDisposable
{
    private readonly SemaphoreSlim _reload = new(1, 1);
    private volatile TenantSnapshot? _current;
    private long _generation;
    private CancellationTokenSource _changed = new();

    public async ValueTask<TenantSnapshot> GetAsync(CancellationToken cancellationToken = default) =>
        _current ?? await LoadAsync(Reload.IfMissing, cancellationToken);

    /// <summary>Drops the snapshot: the next reader loads it again. <see cref="TenantWriter"/> does better (reloads at once).</summary>
    public void Invalidate() => _current = null;

    /// <summary>Signals, once, the next time the snapshot is replaced.</summary>
    public IChangeToken GetChangeToken() => new CancellationChangeToken(_changed.Token);

    /// <summary>Loads the snapshot now (after a write on this node).</summary>
    internal Task RefreshAsync(CancellationToken cancellationToken) => LoadAsync(Reload.Always, cancellationToken);

    /// <summary>Reloads if the database's tenant version is newer than the snapshot's; returns whether it did.</summary>
    internal async Task<bool> ReloadIfStaleAsync(CancellationToken cancellationToken)
    {
        var before = _current;
        var after = await LoadAsync(Reload.IfStale, cancellationToken);
        return !ReferenceEquals(before, after);
    }

    public void Dispose()
    {
        _reload.Dispose();
        _changed.Dispose();
    }

    private async Task<TenantSnapshot> LoadAsync(Reload when, CancellationToken cancellationToken)
    {
        await _reload.WaitAsync(cancellationToken);
        try
        {
            if (when == Reload.IfMissing && _current is { } loaded)
            {
                return loaded;
            }

            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();

            // The version is read before the tables: a write committed in between makes the snapshot newer than its
            // version says, never older, so the next check reloads once more instead of missing the write.
            var version = await ReadVersionAsync(db, cancellationToken);
            if (when == Reload.IfStale && _current is { } current && current.TenantVersion >= version)
            {
                return current;
            }

            var snapshot = new TenantSnapshot(
                await db.Set<Api>().AsNoTracking().ToListAsync(cancellationToken),
                await db.Set<Application>().AsNoTracking().ToListAsync(cancellationToken),
                await db.Set<ClientGrant>().AsNoTracking().ToListAsync(cancellationToken),
                await db.Set<Role>().AsNoTracking().ToListAsync(cancellationToken),
                Interlocked.Increment(ref _generation),
                version,
                await db.Set<Connection>().AsNoTracking().FirstOrDefaultAsync(c => c.Name == Connection.DefaultName, cancellationToken));
            _current = snapshot;
            var changed = Interlocked.Exchange(ref _changed, new CancellationTokenSource());
            await changed.CancelAsync();
            changed.Dispose();
            return snapshot;
        }
        finally
        {
            _reload.Release();
        }
    }

    private enum Reload
    {
        IfMissing,
        IfStale,
        Always,
    }

    private static Task<long> ReadVersionAsync(LatchkeyDbContext db, CancellationToken cancellationToken) =>
        db.Set<TenantVersion>().AsNoTracking().Where(v => v.Id == TenantVersion.SingletonId).Select(v => v.Version).FirstOrDefaultAsync(cancellationToken);
}
