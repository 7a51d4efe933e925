namespace Latchkey.Server.Persistence;

/// <summary>
/// SQLite's <c>synchronous</c> setting in WAL mode (https://sqlite.org/pragma.html#pragma_synchronous), i.e. when a
/// committed write is flushed to disk. Set with <c>Latchkey:Sqlite:Synchronous</c> (docs/configuration.md).
/// </summary>
public enum SqliteSynchronous
{
    /// <summary>
    /// The WAL is synced at checkpoints, not at each commit. A commit survives the process crashing or being killed;
    /// an operating-system crash or power loss can undo the last commits (never corrupt the file).
    /// </summary>
    Normal,

    /// <summary>Each commit syncs the WAL: a commit also survives power loss, at one fsync per write.</summary>
    Full,
}
