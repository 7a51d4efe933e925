namespace Latchkey.Server.Tenants;

/// <summary>
/// A parsed, structurally valid tenant file. Each list keeps the order of the file, so an index here is the
/// index in the JSON array and reference errors can name <c>client_grants[3]</c> precisely.
/// </summary>
internal sealed record TenantFile(
    IReadOnlyList<Api> ResourceServers,
    IReadOnlyList<TenantFileClient> Clients,
    IReadOnlyList<ClientGrant> ClientGrants,
    IReadOnlyList<Role> Roles,
    IReadOnlyList<TenantFileUser> Users,
    IReadOnlyList<TenantFileConnection> Connections);
