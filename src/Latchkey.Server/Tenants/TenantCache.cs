using Latchkey.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Latchkey.Server.Tenants;

/// <summary>
/// Holds the current <see cref="TenantSnapshot"/>. Anything that writes tenant configuration calls
/// <see cref="Invalidate"/> after saving; the next reader reloads it once from the database.
/// </summary>
public sealed class TenantCache(IServiceScopeFactory scopes) : IDisposable
{
    private readonly SemaphoreSlim _reload = new(1, 1);
    private volatile TenantSnapshot? _current;
    private long _version;

    public async ValueTask<TenantSnapshot> GetAsync(CancellationToken cancellationToken = default)
    {
        var current = _current;
        if (current is not null)
        {
            return current;
        }

        await _reload.WaitAsync(cancellationToken);
        try
        {
            if (_current is { } loaded)
            {
                return loaded;
            }

            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();
            var snapshot = new TenantSnapshot(
                await db.Set<Api>().AsNoTracking().ToListAsync(cancellationToken),
                await db.Set<Application>().AsNoTracking().ToListAsync(cancellationToken),
                await db.Set<ClientGrant>().AsNoTracking().ToListAsync(cancellationToken),
                await db.Set<Role>().AsNoTracking().ToListAsync(cancellationToken),
                Interlocked.Increment(ref _version));
            _current = snapshot;
            return snapshot;
        }
        finally
        {
            _reload.Release();
        }
    }

    public void Invalidate() => _current = null;

    public void Dispose() => _reload.Dispose();
}
