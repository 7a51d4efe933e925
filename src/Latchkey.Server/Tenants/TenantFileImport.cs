namespace Latchkey.Server.Tenants;

/// <summary>
/// What the last start-up import of the tenant file (<c>Latchkey:Import</c>) left, so that a restart with the same file
/// and nothing changed since skips the import (docs/performance.md, finding 5): the file's hash, the tenant version the
/// import's write produced, and a digest of the file's users as the import left them (users are not tenant
/// configuration, so their changes move no version). One row, written in the import's transaction.
/// </summary>
public sealed class TenantFileImport
{
    /// <summary>The single row's key.</summary>
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    /// <summary>SHA-256 of the file's bytes and of this build (<see cref="TenantImporter"/>), hex.</summary>
    public string FileHash { get; set; } = string.Empty;

    /// <summary><see cref="TenantVersion.Version"/> after the import's write.</summary>
    public long TenantVersion { get; set; }

    /// <summary>SHA-256 of what the import asserts about the file's users, as it left them, hex.</summary>
    public string UsersDigest { get; set; } = string.Empty;

    public DateTimeOffset ImportedAt { get; set; }
}
