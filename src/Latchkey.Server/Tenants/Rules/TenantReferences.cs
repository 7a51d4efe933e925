namespace Latchkey.Server.Tenants.Rules;

/// <summary>
/// What other entities a client grant, role or user may refer to: the tenant as it will be after the write. The tenant
/// file passes the stored tenant overlaid with the file (<see cref="Where"/> = "in this file or the tenant"); the
/// Management API passes the stored tenant ("in the tenant").
/// </summary>
internal sealed record TenantReferences(
    IReadOnlyDictionary<string, IReadOnlySet<string>> ApiScopes,
    IReadOnlyDictionary<string, string> ApplicationTypes,
    IReadOnlySet<string> Roles,
    string Where);
