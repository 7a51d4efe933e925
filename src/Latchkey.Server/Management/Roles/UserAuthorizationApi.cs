using Latchkey.Server.Persistence;
using Latchkey.Server.Tenants;
using Latchkey.Server.Tenants.Rules;
using Latchkey.Server.Users;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Latchkey.Server.Management.Roles;

/// <summary>
/// Management API v2, what a user may do (Auth0 RBAC): <c>GET/POST/DELETE /users/{id}/roles</c> and
/// <c>GET/POST/DELETE /users/{id}/permissions</c> (direct permissions; the list also shows those from roles, with
/// Auth0's <c>sources</c>). Role assignments and direct permissions are user data: saved directly, no tenant version,
/// and read with the user at the next token (<c>Users/UserAccess</c>), on every node at once.
/// </summary>
internal static class UserAuthorizationApi
{
    private const string RoleSource = "ROLE";

    public static RouteGroupBuilder MapUserAuthorizationApi(this RouteGroupBuilder api)
    {
        var users = api.MapGroup(string.Empty).WithTags("Users");

        users.MapGet("/users/{id}/roles", ListRolesAsync)
            .WithName("get_user_roles")
            .WithSummary("List a user's roles")
            .RequireManagementScope(ManagementScopes.ReadUsers, ManagementScopes.ReadRoles, ManagementScopes.ReadRoleMembers)
            .ProducesManagementError(StatusCodes.Status404NotFound);

        users.MapPost("/users/{id}/roles", AddRolesAsync)
            .WithName("post_user_roles")
            .WithSummary("Give roles to a user")
            .RequireManagementScope(ManagementScopes.UpdateUsers, ManagementScopes.CreateRoleMembers)
            .ProducesManagementError(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

        users.MapDelete("/users/{id}/roles", RemoveRolesAsync)
            .WithName("delete_user_roles")
            .WithSummary("Take roles away from a user")
            .RequireManagementScope(ManagementScopes.UpdateUsers, ManagementScopes.DeleteRoleMembers)
            .ProducesManagementError(StatusCodes.Status404NotFound);

        users.MapGet("/users/{id}/permissions", ListPermissionsAsync)
            .WithName("get_permissions")
            .WithSummary("List a user's permissions, direct and from roles")
            .RequireManagementScope(ManagementScopes.ReadUsers)
            .ProducesManagementError(StatusCodes.Status404NotFound);

        users.MapPost("/users/{id}/permissions", AddPermissionsAsync)
            .WithName("post_permissions")
            .WithSummary("Give permissions to a user directly")
            .RequireManagementScope(ManagementScopes.UpdateUsers)
            .ProducesManagementError(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

        users.MapDelete("/users/{id}/permissions", RemovePermissionsAsync)
            .WithName("delete_permissions")
            .WithSummary("Take direct permissions away from a user")
            .RequireManagementScope(ManagementScopes.UpdateUsers)
            .ProducesManagementError(StatusCodes.Status404NotFound);

        return api;
    }

    private static async Task<Results<PagedResult<RoleResponse>, ManagementProblem>> ListRolesAsync(
        string id, PageRequest page, LatchkeyDbContext db, TenantCache tenants, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, db, cancellationToken) is not { } user)
        {
            return ManagementErrors.UserNotFound();
        }

        var tenant = await tenants.GetAsync(cancellationToken);
        var roles = RolesOf(user, tenant).OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        return page.Respond(roles.Skip(page.Skip).Take(page.PerPage).Select(RoleResponse.From).ToList(), roles.Count);
    }

    private static async Task<Results<NoContent, ManagementProblem>> AddRolesAsync(
        string id, ManagementBody<UserRolesRequest> body, LatchkeyDbContext db, TenantCache tenants, CancellationToken cancellationToken)
    {
        var roleIds = body.Value.Roles.Distinct(StringComparer.Ordinal).ToList();
        if (RolesApi.CheckList(roleIds.Count, "roles") is { } invalid)
        {
            return invalid;
        }

        if (!await db.Set<User>().AnyAsync(u => u.UserId == id, cancellationToken))
        {
            return ManagementErrors.UserNotFound();
        }

        var tenant = await tenants.GetAsync(cancellationToken);
        var keys = new List<Guid>();
        foreach (var roleId in roleIds)
        {
            if (!Role.TryParseId(roleId, out var key) || !tenant.RolesById.ContainsKey(key))
            {
                return ManagementErrors.RoleNotFound();
            }

            keys.Add(key);
        }

        return await RoleAssignments.AddAsync(db, keys.Select(k => (id, k)).ToList(), cancellationToken) ?? (Results<NoContent, ManagementProblem>)TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ManagementProblem>> RemoveRolesAsync(
        string id, ManagementBody<UserRolesRequest> body, LatchkeyDbContext db, CancellationToken cancellationToken)
    {
        var roleIds = body.Value.Roles.Distinct(StringComparer.Ordinal).ToList();
        if (RolesApi.CheckList(roleIds.Count, "roles") is { } invalid)
        {
            return invalid;
        }

        if (!await db.Set<User>().AnyAsync(u => u.UserId == id, cancellationToken))
        {
            return ManagementErrors.UserNotFound();
        }

        // A role the user does not have (or that does not exist) is simply not removed, as in Auth0.
        var keys = roleIds.Select(r => Role.TryParseId(r, out var key) ? key : Guid.Empty).Where(k => k != Guid.Empty).ToList();
        await db.Set<UserRole>().Where(r => r.UserId == id && keys.Contains(r.RoleId)).ExecuteDeleteAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<PagedResult<UserPermissionResponse>, ManagementProblem>> ListPermissionsAsync(
        string id, PageRequest page, LatchkeyDbContext db, TenantCache tenants, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, db, cancellationToken) is not { } user)
        {
            return ManagementErrors.UserNotFound();
        }

        var tenant = await tenants.GetAsync(cancellationToken);
        var direct = user.Permissions.Select(p => (p.ResourceServerIdentifier, p.PermissionName, Source: PermissionSourceResponse.Direct));
        var fromRoles = RolesOf(user, tenant).SelectMany(role => role.Permissions.Select(p =>
            (p.ResourceServerIdentifier, p.PermissionName, Source: new PermissionSourceResponse(role.RoleId, role.Name, RoleSource))));
        var permissions = direct.Concat(fromRoles)
            .GroupBy(p => (p.ResourceServerIdentifier, p.PermissionName))
            .OrderBy(g => g.Key.ResourceServerIdentifier, StringComparer.Ordinal).ThenBy(g => g.Key.PermissionName, StringComparer.Ordinal)
            .ToList();
        var items = permissions.Skip(page.Skip).Take(page.PerPage).Select(g =>
        {
            var shown = PermissionResponse.From(g.Key.ResourceServerIdentifier, g.Key.PermissionName, tenant);
            return new UserPermissionResponse(shown.ResourceServerIdentifier, shown.PermissionName, shown.ResourceServerName, shown.Description, g.Select(p => p.Source).ToList());
        }).ToList();
        return page.Respond(items, permissions.Count);
    }

    private static async Task<Results<Created, ManagementProblem>> AddPermissionsAsync(
        string id, ManagementBody<PermissionsRequest> body, LatchkeyDbContext db, TenantCache tenants, CancellationToken cancellationToken)
    {
        var drafts = body.Value.Drafts();
        if (RolesApi.CheckPermissions(drafts) is { } invalid)
        {
            return invalid;
        }

        if (await db.Set<User>().Include(u => u.Permissions).FirstOrDefaultAsync(u => u.UserId == id, cancellationToken) is not { } user)
        {
            return ManagementErrors.UserNotFound();
        }

        // Auth0 refuses a permission whose API or scope does not exist (400). APIs are tenant configuration, read from
        // the snapshot this node serves tokens from.
        var references = TenantReferences.Of(await tenants.GetAsync(cancellationToken));
        if (ManagementErrors.FirstInvalid(PermissionRules.CheckReferences(drafts, references, "permissions")) is { } unknown)
        {
            return unknown;
        }

        user.Permissions.AddRange(drafts
            .Where(d => !user.Permissions.Exists(p => p.ResourceServerIdentifier == d!.ResourceServerIdentifier && p.PermissionName == d.PermissionName))
            .Select(d => new UserPermission { UserId = user.UserId, ResourceServerIdentifier = d!.ResourceServerIdentifier!, PermissionName = d.PermissionName! }));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return ManagementErrors.Conflict("The user was changed by another request at the same time; send the change again.", ManagementErrorCodes.Conflict);
        }

        return TypedResults.Created();
    }

    private static async Task<Results<NoContent, ManagementProblem>> RemovePermissionsAsync(
        string id, ManagementBody<PermissionsRequest> body, LatchkeyDbContext db, CancellationToken cancellationToken)
    {
        var drafts = body.Value.Drafts();
        if (RolesApi.CheckPermissions(drafts) is { } invalid)
        {
            return invalid;
        }

        if (await db.Set<User>().Include(u => u.Permissions).FirstOrDefaultAsync(u => u.UserId == id, cancellationToken) is not { } user)
        {
            return ManagementErrors.UserNotFound();
        }

        var removed = drafts.Select(d => (d!.ResourceServerIdentifier!, d.PermissionName!)).ToHashSet();
        user.Permissions.RemoveAll(p => removed.Contains((p.ResourceServerIdentifier, p.PermissionName)));
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static Task<User?> FindAsync(string id, LatchkeyDbContext db, CancellationToken cancellationToken) =>
        db.Set<User>().AsNoTracking().Include(u => u.Roles).Include(u => u.Permissions).AsSingleQuery().FirstOrDefaultAsync(u => u.UserId == id, cancellationToken);

    /// <summary>The user's roles that still exist.</summary>
    private static IEnumerable<Role> RolesOf(User user, TenantSnapshot tenant) =>
        user.Roles.Select(r => tenant.RolesById.GetValueOrDefault(r.RoleId)).OfType<Role>();
}
