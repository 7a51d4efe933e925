using Microsoft.EntityFrameworkCore;

namespace Latchkey.Server.Persistence;

/// <summary>
/// A PostgreSQL session advisory lock, held on a connection of its own until disposed: how nodes sharing one database
/// take turns at work that must run once (start-up initialisation, key rotation). On SQLite, a single-node database,
/// it is a no-op.
/// </summary>
internal sealed class AdvisoryLock : IAsyncDisposable
{
    /// <summary>Start-up: migrations, the tenant file import and first-start seeding run on one node at a time.</summary>
    public const long StartupKey = 0x4C617463686B6579; // "Latchkey" in ASCII

    /// <summary>Pruning the tenant log: one node per pass (<c>Logs/TenantLogPruner</c>).</summary>
    public const long LogPruneKey = StartupKey + 2;

    private readonly AsyncServiceScope _scope;
    private readonly LatchkeyDbContext? _db;
    private readonly long _key;

    private AdvisoryLock(AsyncServiceScope scope, LatchkeyDbContext? db, long key)
    {
        _scope = scope;
        _db = db;
        _key = key;
    }

    /// <summary>Waits for the lock.</summary>
    public static async Task<AdvisoryLock> AcquireAsync(IServiceProvider services, long key, CancellationToken cancellationToken = default)
    {
        var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();
        if (!db.Database.IsNpgsql())
        {
            return new AdvisoryLock(scope, null, key);
        }

        try
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({key})", cancellationToken);
            return new AdvisoryLock(scope, db, key);
        }
        catch
        {
            await scope.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Takes the lock if no other node holds it, else returns <c>null</c> at once: for periodic work that one node
    /// should do and that the others can skip (pruning the tenant log).
    /// </summary>
    public static async Task<AdvisoryLock?> TryAcquireAsync(IServiceProvider services, long key, CancellationToken cancellationToken = default)
    {
        var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();
        if (!db.Database.IsNpgsql())
        {
            return new AdvisoryLock(scope, null, key);
        }

        try
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            var taken = await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_lock({key}) AS \"Value\"").SingleAsync(cancellationToken);
            if (taken)
            {
                return new AdvisoryLock(scope, db, key);
            }
        }
        catch
        {
            await scope.DisposeAsync();
            throw;
        }

        await scope.DisposeAsync();
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_db is not null)
            {
                // Closing the connection would release it too, but pooling keeps the session (and the lock) alive.
                await _db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({_key})");
            }
        }
        finally
        {
            await _scope.DisposeAsync();
        }
    }
}
