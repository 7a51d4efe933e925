using Latchkey.Server.Persistence;
using Microsoft.EntityFrameworkCore;

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
    string Where)
{
    /// <summary>The tenant this node serves (<paramref name="tenant"/>), for checks outside a tenant write.</summary>
    public static TenantReferences Of(TenantSnapshot tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        return new TenantReferences(
            tenant.Apis.ToDictionary(a => a.Key, a => ScopesOf(a.Value), StringComparer.Ordinal),
            tenant.Applications.ToDictionary(a => a.Key, a => a.Value.AppType, StringComparer.Ordinal),
            tenant.Roles.Keys.ToHashSet(StringComparer.Ordinal),
            "in the tenant");
    }

    /// <summary>The stored tenant, read through <paramref name="db"/> (inside a <c>TenantWriter</c> write: what the write will change).</summary>
    public static async Task<TenantReferences> ReadAsync(LatchkeyDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var apis = await db.Set<Api>().AsNoTracking().ToListAsync(cancellationToken);
        var applications = await db.Set<Application>().AsNoTracking().Select(a => new { a.ClientId, a.AppType }).ToListAsync(cancellationToken);
        var roles = await db.Set<Role>().AsNoTracking().Select(r => r.Name).ToListAsync(cancellationToken);
        return new TenantReferences(
            apis.ToDictionary(a => a.Identifier, ScopesOf, StringComparer.Ordinal),
            applications.ToDictionary(a => a.ClientId, a => a.AppType, StringComparer.Ordinal),
            roles.ToHashSet(StringComparer.Ordinal),
            "in the tenant");
    }

    private static IReadOnlySet<string> ScopesOf(Api api) => api.Scopes.Select(s => s.Value).ToHashSet(StringComparer.Ordinal);
}
