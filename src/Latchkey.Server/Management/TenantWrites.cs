using Latchkey.Server.Persistence;
using Latchkey.Server.Tenants;
using Latchkey.Server.Tenants.Rules;
using Microsoft.EntityFrameworkCore;

namespace Latchkey.Server.Management;

/// <summary>
/// A Management API write of tenant configuration through <see cref="TenantWriter"/>: the change reads what it needs
/// inside the transaction, and may refuse (a problem) after looking, which rolls the transaction back and bumps no
/// version. A unique index that refuses the save (two requests creating the same API at once) becomes the caller's
/// conflict instead of a 500.
/// </summary>
internal static class TenantWrites
{
    /// <summary>
    /// Runs <paramref name="change"/> in one tenant write; returns its problem (nothing written) or null (committed, and
    /// served by this node's token endpoint from now on).
    /// </summary>
    public static async Task<ManagementProblem?> RunAsync(
        this TenantWriter writer,
        Func<CancellationToken, Task<ManagementProblem?>> change,
        CancellationToken cancellationToken,
        Func<ManagementProblem>? onConflict = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(change);
        try
        {
            await writer.WriteAsync(
                async ct =>
                {
                    if (await change(ct) is { } problem)
                    {
                        throw new Refused(problem);
                    }
                },
                cancellationToken);
            return null;
        }
        catch (Refused refused)
        {
            return refused.Problem;
        }
        catch (DbUpdateException) when (onConflict is not null)
        {
            return onConflict();
        }
    }

    /// <summary>What client grants and role permissions may name: the tenant as stored, read inside the write.</summary>
    public static async Task<TenantReferences> ReferencesAsync(LatchkeyDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var apis = await db.Set<Api>().AsNoTracking().ToListAsync(cancellationToken);
        var applications = await db.Set<Application>().AsNoTracking().Select(a => new { a.ClientId, a.AppType }).ToListAsync(cancellationToken);
        var roles = await db.Set<Role>().AsNoTracking().Select(r => r.Name).ToListAsync(cancellationToken);
        return new TenantReferences(
            apis.ToDictionary(a => a.Identifier, a => (IReadOnlySet<string>)a.Scopes.Select(s => s.Value).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal),
            applications.ToDictionary(a => a.ClientId, a => a.AppType, StringComparer.Ordinal),
            roles.ToHashSet(StringComparer.Ordinal),
            "in the tenant");
    }

    /// <summary>The first of <paramref name="problems"/> as Auth0's 400, or null.</summary>
    public static ManagementProblem? FirstProblem(IEnumerable<RuleProblem> problems) =>
        problems.Select(p => (RuleProblem?)p).FirstOrDefault() is { } first ? ManagementErrors.InvalidBody(first) : null;

    /// <summary>
    /// A route id as the client meant it. Kestrel decodes every escape in a path segment except <c>%2F</c>, which an
    /// API identifier used as an id (<c>https%3A%2F%2Fapi.example.com%2F</c>) is full of.
    /// </summary>
    public static string RouteId(string id) =>
        id.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);

    private sealed class Refused(ManagementProblem problem) : Exception(problem.Error.Message)
    {
        public ManagementProblem Problem { get; } = problem;
    }
}
