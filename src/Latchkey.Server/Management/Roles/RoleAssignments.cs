using Latchkey.Server.Persistence;
using Latchkey.Server.Users;
using Microsoft.EntityFrameworkCore;

namespace Latchkey.Server.Management.Roles;

/// <summary>
/// Gives roles to users for both Auth0 routes that do it (<c>POST /roles/{id}/users</c>, <c>POST /users/{id}/roles</c>):
/// every user must exist, pairs already given are left alone, the rest are saved at once. User data: no tenant version;
/// the next token of the user reads them.
/// </summary>
internal static class RoleAssignments
{
    /// <summary>Null when saved; otherwise the problem (an unknown user, or a role deleted meanwhile).</summary>
    public static async Task<ManagementProblem?> AddAsync(LatchkeyDbContext db, IReadOnlyList<(string UserId, Guid RoleId)> pairs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(pairs);
        var userIds = pairs.Select(p => p.UserId).Distinct(StringComparer.Ordinal).ToList();
        if (await db.Set<User>().CountAsync(u => userIds.Contains(u.UserId), cancellationToken) != userIds.Count)
        {
            return ManagementErrors.UserNotFound();
        }

        var roleIds = pairs.Select(p => p.RoleId).Distinct().ToList();
        var existing = await db.Set<UserRole>()
            .Where(r => userIds.Contains(r.UserId) && roleIds.Contains(r.RoleId))
            .Select(r => new { r.UserId, r.RoleId })
            .ToListAsync(cancellationToken);
        var given = existing.Select(r => (r.UserId, r.RoleId)).ToHashSet();
        db.AddRange(pairs.Where(p => !given.Contains(p)).Select(p => new UserRole { UserId = p.UserId, RoleId = p.RoleId }));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
        catch (DbUpdateException)
        {
            // The same pair saved by a concurrent request, a user deleted or a role deleted meanwhile.
            return ManagementErrors.Conflict("The roles or users were changed by another request at the same time; send the change again.", ManagementErrorCodes.Conflict);
        }
    }
}
