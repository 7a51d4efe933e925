using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace Latchkey.Server.Persistence;

/// <summary>
/// Applies Latchkey's per-connection SQLite settings once to each physical connection (pooled connections keep them):
/// <list type="bullet">
/// <item><c>busy_timeout</c>: a writer that finds another writer's lock waits inside SQLite, which retries after
/// 1, 2, 5, 10… ms. Without it Microsoft.Data.Sqlite retries by itself with <c>Thread.Sleep(150)</c>, blocking a pool
/// thread for 150 ms per conflict: under 16 concurrent refresh chains that sleep was 91 % of a rotation's wall time
/// (docs/performance.md). 30 s, the same bound as the command timeout, so no write gives up sooner than before.</item>
/// <item><c>synchronous</c>: <see cref="SqliteSynchronous.Normal"/> by default (durable against a process crash, not
/// against power loss), <see cref="SqliteSynchronous.Full"/> when configured.</item>
/// </list>
/// The journal mode is persistent in the file and set once at start-up (<c>InitializeDatabaseAsync</c>).
/// </summary>
internal sealed class SqliteConnectionSettings(SqliteSynchronous synchronous) : DbConnectionInterceptor
{
    private const int BusyTimeoutMilliseconds = 30_000;

    private readonly ConditionalWeakTable<sqlite3, object> _configured = [];
    private readonly string _pragmas =
        $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}; PRAGMA synchronous = {(synchronous == SqliteSynchronous.Full ? "FULL" : "NORMAL")};";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private void Apply(DbConnection connection)
    {
        if (connection is not SqliteConnection { Handle: { } handle } sqlite || _configured.TryGetValue(handle, out _))
        {
            return;
        }

        using var command = sqlite.CreateCommand();
        command.CommandText = _pragmas;
        command.ExecuteNonQuery();
        _configured.AddOrUpdate(handle, this);
    }
}
