namespace Latchkey.Server.Tenants;

/// <summary>
/// The one row that says which version of the tenant configuration the database holds. <see cref="TenantWriter"/>
/// increments it in the transaction of every configuration write; every node compares it with the version of its
/// <see cref="TenantCache"/> (<see cref="TenantVersionWatcher"/>) and reloads when it moved.
/// </summary>
public sealed class TenantVersion
{
    /// <summary>The single row's key.</summary>
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    public long Version { get; set; }

    public DateTimeOffset ChangedAt { get; set; }
}
