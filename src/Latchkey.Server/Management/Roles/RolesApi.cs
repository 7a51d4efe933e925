using Latchkey.Server.Persistence;
using Latchkey.Server.Tenants;
using Latchkey.Server.Tenants.Rules;
using Latchkey.Server.Users;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Latchkey.Server.Management.Roles;

/// <summary>
/// Management API v2, roles (Auth0 RBAC): <c>GET/POST /roles</c>, <c>GET/PATCH/DELETE /roles/{id}</c>,
/// <c>GET/POST/DELETE /roles/{id}/permissions</c>, <c>GET/POST /roles/{id}/users</c>, with Auth0's scopes, bodies,
/// status codes and operation ids. A role and its permissions are tenant configuration: written through
/// <see cref="TenantWriter"/> and read from the <see cref="TenantCache"/>, so the next token on any node sees them.
/// Who has a role is user data (<c>Users/UserRole</c>), saved directly and read with the user at every token.
/// </summary>
internal static class RolesApi
{
    public static RouteGroupBuilder MapRolesApi(this RouteGroupBuilder api)
    {
        var roles = api.MapGroup(string.Empty).WithTags("Roles");

        roles.MapGet("/roles", ListAsync)
            .WithName("get_roles")
            .WithSummary("List roles (name_filter: part of the name, any case)")
            .RequireManagementScope(ManagementScopes.ReadRoles);

        roles.MapPost("/roles", CreateAsync)
            .WithName("post_roles")
            .WithSummary("Create a role")
            .RequireManagementScope(ManagementScopes.CreateRoles)
            .ProducesManagementError(StatusCodes.Status409Conflict);

        roles.MapGet("/roles/{id}", GetAsync)
            .WithName("get_roles_by_id")
            .WithSummary("Get a role")
            .RequireManagementScope(ManagementScopes.ReadRoles)
            .ProducesManagementError(StatusCodes.Status404NotFound);

        roles.MapPatch("/roles/{id}", UpdateAsync)
            .WithName("patch_roles_by_id")
            .WithSummary("Update a role")
            .RequireManagementScope(ManagementScopes.UpdateRoles)
            .ProducesManagementError(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

        roles.MapDelete("/roles/{id}", DeleteAsync)
            .WithName("delete_roles_by_id")
            .WithSummary("Delete a role (and take it away from every user)")
            .RequireManagementScope(ManagementScopes.DeleteRoles)
            .ProducesManagementError(StatusCodes.Status404NotFound);

        roles.MapGet("/roles/{id}/permissions", ListPermissionsAsync)
            .WithName("get_role_permission")
            .WithSummary("List a role's permissions")
            .RequireManagementScope(ManagementScopes.ReadRoles)
            .ProducesManagementError(StatusCodes.Status404NotFound);

        roles.MapPost("/roles/{id}/permissions", AddPermissionsAsync)
            .WithName("post_role_permission_assignment")
            .WithSummary("Add permissions to a role")
            .RequireManagementScope(ManagementScopes.UpdateRoles)
            .ProducesManagementError(StatusCodes.Status404NotFound);

        roles.MapDelete("/roles/{id}/permissions", RemovePermissionsAsync)
            .WithName("delete_role_permission_assignment")
            .WithSummary("Remove permissions from a role")
            .RequireManagementScope(ManagementScopes.UpdateRoles)
            .ProducesManagementError(StatusCodes.Status404NotFound);

        roles.MapGet("/roles/{id}/users", ListUsersAsync)
            .WithName("get_role_user")
            .WithSummary("List the users who have a role")
            .RequireManagementScope(ManagementScopes.ReadUsers, ManagementScopes.ReadRoles, ManagementScopes.ReadRoleMembers)
            .ProducesManagementError(StatusCodes.Status404NotFound);

        roles.MapPost("/roles/{id}/users", AddUsersAsync)
            .WithName("post_role_users")
            .WithSummary("Give a role to users")
            .RequireManagementScope(ManagementScopes.UpdateRoles, ManagementScopes.CreateRoleMembers)
            .ProducesManagementError(StatusCodes.Status404NotFound);

        return api;
    }

    /// <summary>Auth0 caps a body's list of permissions, users or roles; one call changes at most this many.</summary>
    public const int MaxItemsPerCall = 1000;

    private static async Task<Results<PagedResult<RoleResponse>, ManagementProblem>> ListAsync(
        PageRequest page, [FromQuery(Name = "name_filter")] string? nameFilter, TenantCache tenants, CancellationToken cancellationToken)
    {
        var tenant = await tenants.GetAsync(cancellationToken);
        var matching = tenant.Roles.Values
            .Where(r => string.IsNullOrEmpty(nameFilter) || r.Name.Contains(nameFilter, StringComparison.OrdinalIgnoreCase))
            .OrderBy(r => r.Name, StringComparer.Ordinal)
            .ToList();
        return page.Respond(matching.Skip(page.Skip).Take(page.PerPage).Select(RoleResponse.From).ToList(), matching.Count);
    }

    private static async Task<Results<Ok<RoleResponse>, ManagementProblem>> CreateAsync(
        ManagementBody<RoleCreateRequest> body, LatchkeyDbContext db, TenantWriter writer, CancellationToken cancellationToken)
    {
        var draft = new RoleDraft { Name = body.Value.Name, Description = OptionalText(body.Value.Description) };
        if (ManagementErrors.FirstInvalid(RoleRules.Check(draft)) is { } problem)
        {
            return problem;
        }

        var role = draft.ToRole();
        var conflict = false;
        await writer.WriteAsync(
            async ct =>
            {
                conflict = await db.Set<Role>().AnyAsync(r => r.Name == role.Name, ct);
                if (!conflict)
                {
                    db.Add(role);
                }
            },
            cancellationToken);
        return conflict ? NameConflict() : TypedResults.Ok(RoleResponse.From(role));
    }

    private static async Task<Results<Ok<RoleResponse>, ManagementProblem>> GetAsync(string id, TenantCache tenants, CancellationToken cancellationToken) =>
        await FindAsync(id, tenants, cancellationToken) is { } role ? TypedResults.Ok(RoleResponse.From(role)) : ManagementErrors.RoleNotFound();

    private static async Task<Results<Ok<RoleResponse>, ManagementProblem>> UpdateAsync(
        string id, ManagementBody<RoleUpdateRequest> body, LatchkeyDbContext db, TenantWriter writer, CancellationToken cancellationToken)
    {
        if (!Role.TryParseId(id, out var key))
        {
            return ManagementErrors.RoleNotFound();
        }

        var sent = body.Members;
        var draft = new RoleDraft
        {
            Name = sent.Contains("name") ? body.Value.Name : null,
            Description = sent.Contains("description") ? body.Value.Description : null,
        };
        if (ManagementErrors.FirstInvalid(RoleRules.Check(draft)) is { } problem)
        {
            return problem;
        }

        Role? role = null;
        var conflict = false;
        await writer.WriteAsync(
            async ct =>
            {
                role = await db.Set<Role>().FirstOrDefaultAsync(r => r.Id == key, ct);
                if (role is null)
                {
                    return;
                }

                if (draft.Name is { } name && name != role.Name)
                {
                    conflict = await db.Set<Role>().AnyAsync(r => r.Name == name, ct);
                    role.Name = conflict ? role.Name : name;
                }

                if (draft.Description is not null)
                {
                    role.Description = OptionalText(draft.Description);
                }
            },
            cancellationToken);
        return role is null ? ManagementErrors.RoleNotFound()
            : conflict ? NameConflict()
            : TypedResults.Ok(RoleResponse.From(role));
    }

    private static async Task<Results<Ok, ManagementProblem>> DeleteAsync(string id, LatchkeyDbContext db, TenantWriter writer, CancellationToken cancellationToken)
    {
        if (!Role.TryParseId(id, out var key))
        {
            return ManagementErrors.RoleNotFound();
        }

        var deleted = 0;
        await writer.WriteAsync(
            async ct =>
            {
                // Auth0: a deleted role is taken away from every user. The foreign key cascades too; deleting the
                // assignments here does not depend on the provider enforcing it.
                await db.Set<UserRole>().Where(r => r.RoleId == key).ExecuteDeleteAsync(ct);
                deleted = await db.Set<Role>().Where(r => r.Id == key).ExecuteDeleteAsync(ct);
            },
            cancellationToken);
        return deleted == 0 ? ManagementErrors.RoleNotFound() : TypedResults.Ok();
    }

    private static async Task<Results<PagedResult<PermissionResponse>, ManagementProblem>> ListPermissionsAsync(
        string id, PageRequest page, TenantCache tenants, CancellationToken cancellationToken)
    {
        var tenant = await tenants.GetAsync(cancellationToken);
        if (Find(id, tenant) is not { } role)
        {
            return ManagementErrors.RoleNotFound();
        }

        var permissions = role.Permissions
            .OrderBy(p => p.ResourceServerIdentifier, StringComparer.Ordinal).ThenBy(p => p.PermissionName, StringComparer.Ordinal)
            .ToList();
        return page.Respond(
            permissions.Skip(page.Skip).Take(page.PerPage).Select(p => PermissionResponse.From(p.ResourceServerIdentifier, p.PermissionName, tenant)).ToList(),
            permissions.Count);
    }

    private static async Task<Results<Created, ManagementProblem>> AddPermissionsAsync(
        string id, ManagementBody<PermissionsRequest> body, LatchkeyDbContext db, TenantWriter writer, CancellationToken cancellationToken)
    {
        var drafts = body.Value.Drafts();
        if (CheckPermissions(drafts) is { } invalid)
        {
            return invalid;
        }

        if (!Role.TryParseId(id, out var key))
        {
            return ManagementErrors.RoleNotFound();
        }

        ManagementProblem? problem = null;
        await writer.WriteAsync(
            async ct =>
            {
                var role = await db.Set<Role>().FirstOrDefaultAsync(r => r.Id == key, ct);
                if (role is null)
                {
                    problem = ManagementErrors.RoleNotFound();
                    return;
                }

                // Auth0 refuses a permission whose API or scope does not exist (400), checked against the tenant as
                // it is inside this write.
                var references = await TenantReferences.ReadAsync(db, ct);
                if (ManagementErrors.FirstInvalid(PermissionRules.CheckReferences(drafts, references, "permissions")) is { } unknown)
                {
                    problem = unknown;
                    return;
                }

                var added = drafts
                    .Where(d => !role.Permissions.Exists(p => p.ResourceServerIdentifier == d!.ResourceServerIdentifier && p.PermissionName == d.PermissionName))
                    .Select(d => new RolePermission { ResourceServerIdentifier = d!.ResourceServerIdentifier!, PermissionName = d.PermissionName! });

                // A new list, so EF Core sees the JSON column change.
                role.Permissions = [.. role.Permissions, .. added];
            },
            cancellationToken);
        return problem ?? (Results<Created, ManagementProblem>)TypedResults.Created();
    }

    private static async Task<Results<Ok, ManagementProblem>> RemovePermissionsAsync(
        string id, ManagementBody<PermissionsRequest> body, LatchkeyDbContext db, TenantWriter writer, CancellationToken cancellationToken)
    {
        var drafts = body.Value.Drafts();
        if (CheckPermissions(drafts) is { } invalid)
        {
            return invalid;
        }

        if (!Role.TryParseId(id, out var key))
        {
            return ManagementErrors.RoleNotFound();
        }

        var found = false;
        await writer.WriteAsync(
            async ct =>
            {
                var role = await db.Set<Role>().FirstOrDefaultAsync(r => r.Id == key, ct);
                if (role is null)
                {
                    return;
                }

                found = true;
                var removed = drafts.Select(d => (d!.ResourceServerIdentifier, d.PermissionName)).ToHashSet();
                role.Permissions = role.Permissions.Where(p => !removed.Contains((p.ResourceServerIdentifier, p.PermissionName))).ToList();
            },
            cancellationToken);
        return found ? TypedResults.Ok() : ManagementErrors.RoleNotFound();
    }

    private static async Task<Results<PagedResult<RoleUserResponse>, ManagementProblem>> ListUsersAsync(
        string id, PageRequest page, TenantCache tenants, LatchkeyDbContext db, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, tenants, cancellationToken) is not { } role)
        {
            return ManagementErrors.RoleNotFound();
        }

        var members = db.Set<UserRole>().Where(r => r.RoleId == role.Id);
        var total = await members.CountAsync(cancellationToken);
        var ids = members.OrderBy(r => r.UserId).Skip(page.Skip).Take(page.PerPage).Select(r => r.UserId);
        var users = await db.Set<User>().AsNoTracking().Where(u => ids.Contains(u.UserId)).OrderBy(u => u.UserId).ToListAsync(cancellationToken);
        return page.Respond(users.Select(RoleUserResponse.From).ToList(), total);
    }

    private static async Task<Results<Ok, ManagementProblem>> AddUsersAsync(
        string id, ManagementBody<RoleUsersRequest> body, TenantCache tenants, LatchkeyDbContext db, CancellationToken cancellationToken)
    {
        var userIds = body.Value.Users.Distinct(StringComparer.Ordinal).ToList();
        if (CheckList(userIds.Count, "users") is { } invalid)
        {
            return invalid;
        }

        if (await FindAsync(id, tenants, cancellationToken) is not { } role)
        {
            return ManagementErrors.RoleNotFound();
        }

        return await RoleAssignments.AddAsync(db, userIds.Select(u => (u, role.Id)).ToList(), cancellationToken) ?? (Results<Ok, ManagementProblem>)TypedResults.Ok();
    }

    /// <summary>Auth0's schema: a list in a body has 1 to <see cref="MaxItemsPerCall"/> items.</summary>
    internal static ManagementProblem? CheckList(int count, string property) =>
        count == 0 ? ManagementErrors.InvalidBody($"Payload validation error: 'Array is too short (0), minimum 1' on property {property}.")
        : count > MaxItemsPerCall ? ManagementErrors.InvalidBody($"Payload validation error: 'Array is too long ({count}), maximum {MaxItemsPerCall}' on property {property}.")
        : null;

    /// <summary>A body's permissions: 1 to <see cref="MaxItemsPerCall"/>, each well-formed (<see cref="PermissionRules"/>).</summary>
    internal static ManagementProblem? CheckPermissions(IReadOnlyList<PermissionDraft?> drafts) =>
        CheckList(drafts.Count, "permissions")
        ?? ManagementErrors.FirstInvalid(PermissionRules.Check(drafts, "permissions"));

    internal static async Task<Role?> FindAsync(string id, TenantCache tenants, CancellationToken cancellationToken) =>
        Find(id, await tenants.GetAsync(cancellationToken));

    private static Role? Find(string id, TenantSnapshot tenant) =>
        Role.TryParseId(id, out var key) ? tenant.RolesById.GetValueOrDefault(key) : null;

    private static string? OptionalText(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static ManagementProblem NameConflict() =>
        ManagementErrors.Conflict("A role with this name already exists.", ManagementErrorCodes.Conflict);
}
