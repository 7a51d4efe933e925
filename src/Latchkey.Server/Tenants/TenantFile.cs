using Latchkey.Server.Tenants.Rules;

namespace Latchkey.Server.Tenants;

/// <summary>
/// A parsed tenant file whose every entity passed its rules. Each list keeps the order of the file, so an index here
/// is the index in the JSON array and reference errors can name <c>client_grants[3]</c> precisely.
/// </summary>
internal sealed record TenantFile(
    IReadOnlyList<ApiDraft> ResourceServers,
    IReadOnlyList<ApplicationDraft> Clients,
    IReadOnlyList<ClientGrantDraft> ClientGrants,
    IReadOnlyList<RoleDraft> Roles,
    IReadOnlyList<UserDraft> Users,
    IReadOnlyList<TenantFileConnection> Connections);
