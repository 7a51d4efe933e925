namespace Latchkey.Server.Tenants;

/// <summary>
/// An immutable, in-memory copy of the tenant's configuration (APIs, Applications, client grants, roles, the database
/// connection's settings).
/// The token endpoint reads only this, never the database. Users are not part of it.
/// </summary>
public sealed class TenantSnapshot
{
    public TenantSnapshot(IEnumerable<Api> apis, IEnumerable<Application> applications, IEnumerable<ClientGrant> grants, IEnumerable<Role> roles, long version, long tenantVersion, Connection? connection = null)
    {
        Connection = connection ?? new Connection { Id = string.Empty, Name = Connection.DefaultName };
        Apis = apis.ToDictionary(a => a.Identifier, StringComparer.Ordinal);
        Applications = applications.ToDictionary(a => a.ClientId, StringComparer.Ordinal);
        Grants = grants.ToDictionary(g => (g.ClientId, g.Audience));
        Roles = roles.ToDictionary(r => r.Name, StringComparer.Ordinal);
        Version = version;
        TenantVersion = tenantVersion;
    }

    public IReadOnlyDictionary<string, Api> Apis { get; }

    public IReadOnlyDictionary<string, Application> Applications { get; }

    public IReadOnlyDictionary<(string ClientId, string Audience), ClientGrant> Grants { get; }

    public IReadOnlyDictionary<string, Role> Roles { get; }

    /// <summary>The database connection (<see cref="Connection.DefaultName"/>): whether self-service sign-up is on.</summary>
    public Connection Connection { get; }

    /// <summary>Increases on every reload on this node; lets derived caches know they are stale.</summary>
    public long Version { get; }

    /// <summary>The database's <see cref="Tenants.TenantVersion"/> when this snapshot was read (shared by all nodes).</summary>
    public long TenantVersion { get; }
}
