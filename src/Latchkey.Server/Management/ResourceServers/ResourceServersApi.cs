using Latchkey.Server.Persistence;
using Latchkey.Server.Tenants;
using Latchkey.Server.Tenants.Rules;
using Latchkey.Server.Users;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Latchkey.Server.Management.ResourceServers;

/// <summary>
/// Management API v2, resource servers (APIs): <c>GET/POST /api/v2/resource-servers</c>,
/// <c>GET/PATCH/DELETE /api/v2/resource-servers/{id}</c>, where <c>{id}</c> is the API's id or its identifier
/// (URL-encoded), as in Auth0. Values are checked by <see cref="ApiRules"/>, the tenant file's rules. The built-in
/// Management API is listed (<c>is_system: true</c>); like Auth0's, only its <c>token_lifetime</c> and
/// <c>skip_consent_for_verifiable_first_party_clients</c> may change, and it cannot be deleted. Every write goes through
/// <see cref="TenantWriter"/>: the token endpoint honours it on the next request.
/// </summary>
internal static class ResourceServersApi
{
    /// <summary>Auth0 filters by at most 10 identifiers at once.</summary>
    public const int MaxIdentifiers = 10;

    /// <summary>What Auth0 lets a PATCH change on a system API.</summary>
    private static readonly string[] SystemMembers = ["token_lifetime", "skip_consent_for_verifiable_first_party_clients"];

    public static RouteGroupBuilder MapResourceServersApi(this RouteGroupBuilder api)
    {
        var servers = api.MapGroup(string.Empty).WithTags("Resource Servers");

        servers.MapGet("/resource-servers", ListAsync)
            .WithName("get_resource_servers")
            .WithSummary("Get resource servers")
            .RequireManagementScope(ManagementScopes.ReadResourceServers);

        servers.MapPost("/resource-servers", CreateAsync)
            .WithName("post_resource_servers")
            .WithSummary("Create a resource server")
            .RequireManagementScope(ManagementScopes.CreateResourceServers)
            .ProducesManagementError(StatusCodes.Status409Conflict);

        servers.MapGet("/resource-servers/{id}", GetAsync)
            .WithName("get_resource_servers_by_id")
            .WithSummary("Get a resource server by its id or identifier")
            .RequireManagementScope(ManagementScopes.ReadResourceServers)
            .ProducesManagementError(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);

        servers.MapPatch("/resource-servers/{id}", UpdateAsync)
            .WithName("patch_resource_servers_by_id")
            .WithSummary("Update a resource server")
            .RequireManagementScope(ManagementScopes.UpdateResourceServers)
            .ProducesManagementError(StatusCodes.Status404NotFound);

        servers.MapDelete("/resource-servers/{id}", DeleteAsync)
            .WithName("delete_resource_servers_by_id")
            .WithSummary("Delete a resource server, its client grants and its role permissions")
            .RequireManagementScope(ManagementScopes.DeleteResourceServers)
            .ProducesManagementError(StatusCodes.Status404NotFound);

        return api;
    }

    private static async Task<Results<PagedResult<ResourceServerResponse>, ManagementProblem>> ListAsync(
        PageRequest page,
        HttpRequest request,
        [FromQuery(Name = "identifiers")] string[]? identifiers,
        [FromQuery(Name = "include_fields")] string? includeFields,
        LatchkeyDbContext db,
        CancellationToken cancellationToken)
    {
        if (ManagementQuery.Bool(request, "include_fields", out _) is { } problem)
        {
            return problem;
        }

        if (identifiers is { Length: > MaxIdentifiers })
        {
            return ManagementQuery.Invalid($"Array is too long ({identifiers.Length}), maximum {MaxIdentifiers}", "identifiers");
        }

        var all = await db.Set<Api>().AsNoTracking().ToListAsync(cancellationToken);
        var wanted = identifiers is { Length: > 0 } ? identifiers.ToHashSet(StringComparer.Ordinal) : null;
        var matching = all.Where(a => wanted is null || wanted.Contains(a.Identifier))
            .OrderBy(a => a.Identifier, StringComparer.Ordinal)
            .ToList();
        var items = matching.Skip(page.Skip).Take(page.PerPage).Select(ResourceServerResponse.From).ToList();
        return page.Respond(items, matching.Count);
    }

    private static async Task<Results<Ok<ResourceServerResponse>, ManagementProblem>> GetAsync(
        string id, HttpRequest request, [FromQuery(Name = "include_fields")] string? includeFields, LatchkeyDbContext db, CancellationToken cancellationToken)
    {
        if (ManagementQuery.Bool(request, "include_fields", out _) is { } problem)
        {
            return problem;
        }

        var api = await FindAsync(db.Set<Api>().AsNoTracking(), id, cancellationToken);
        return api is null ? ManagementErrors.ResourceServerNotFound() : TypedResults.Ok(ResourceServerResponse.From(api));
    }

    private static async Task<Results<Created<ResourceServerResponse>, ManagementProblem>> CreateAsync(
        ManagementBody<ResourceServerCreateRequest> body, LatchkeyDbContext db, TenantWriter writer, CancellationToken cancellationToken)
    {
        var draft = Draft(body.Value, body.Members, current: null, body.Value.Identifier);
        if (TenantWrites.FirstProblem(ApiRules.Check(draft)) is { } invalid)
        {
            return invalid;
        }

        var api = draft.ToApi();
        var problem = await writer.RunAsync(
            async ct =>
            {
                if (await db.Set<Api>().AnyAsync(a => a.Identifier == api.Identifier, ct))
                {
                    return Conflict();
                }

                db.Add(api);
                return null;
            },
            cancellationToken,
            onConflict: Conflict);
        return problem ?? (Results<Created<ResourceServerResponse>, ManagementProblem>)TypedResults.Created(
            $"{ManagementServiceCollectionExtensions.PathPrefix}/resource-servers/{ResourceServerIds.Format(api.Id)}",
            ResourceServerResponse.From(api));

        static ManagementProblem Conflict() =>
            ManagementErrors.Conflict("A resource server with the same identifier already exists", ManagementErrorCodes.ResourceServerConflict);
    }

    private static async Task<Results<Ok<ResourceServerResponse>, ManagementProblem>> UpdateAsync(
        string id, ManagementBody<ResourceServerUpdateRequest> body, LatchkeyDbContext db, TenantWriter writer, CancellationToken cancellationToken)
    {
        Api? updated = null;
        var problem = await writer.RunAsync(
            async ct =>
            {
                var api = await FindAsync(db.Set<Api>(), id, ct);
                if (api is null)
                {
                    return ManagementErrors.ResourceServerNotFound();
                }

                // Auth0's schema for system APIs has only these members: anything else is an "additional property".
                if (api.IsSystem && body.Members.FirstOrDefault(m => !SystemMembers.Contains(m)) is { } readOnly)
                {
                    return ManagementErrors.InvalidBody($"Payload validation error: 'Additional properties not allowed: {readOnly}'.");
                }

                var draft = Draft(body.Value, body.Members, api, api.Identifier);
                if (TenantWrites.FirstProblem(ApiRules.Check(draft)) is { } invalid)
                {
                    return invalid;
                }

                var next = draft.ToApi();
                await RemoveScopesAsync(db, api.Identifier, api.Scopes.Select(s => s.Value).Except(next.Scopes.Select(s => s.Value), StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal), ct);
                api.Name = next.Name;
                if (!api.Scopes.Select(s => (s.Value, s.Description)).SequenceEqual(next.Scopes.Select(s => (s.Value, s.Description))))
                {
                    api.Scopes = next.Scopes;
                }

                api.SigningAlg = next.SigningAlg;
                api.TokenLifetime = next.TokenLifetime;
                api.TokenLifetimeForWeb = next.TokenLifetimeForWeb;
                api.AllowOfflineAccess = next.AllowOfflineAccess;
                api.SkipConsentForVerifiableFirstPartyClients = next.SkipConsentForVerifiableFirstPartyClients;
                api.EnforcePolicies = next.EnforcePolicies;
                api.TokenDialect = next.TokenDialect;
                updated = api;
                return null;
            },
            cancellationToken);
        return problem ?? (Results<Ok<ResourceServerResponse>, ManagementProblem>)TypedResults.Ok(ResourceServerResponse.From(updated!));
    }

    /// <summary>Auth0 answers 204 and removes what depends on the API; Latchkey does so in the same write.</summary>
    private static async Task<Results<NoContent, ManagementProblem>> DeleteAsync(string id, LatchkeyDbContext db, TenantWriter writer, CancellationToken cancellationToken)
    {
        var problem = await writer.RunAsync(
            async ct =>
            {
                var api = await FindAsync(db.Set<Api>(), id, ct);
                if (api is null)
                {
                    return ManagementErrors.ResourceServerNotFound();
                }

                if (api.IsSystem)
                {
                    return ManagementErrors.SystemResourceServer();
                }

                await db.Set<ClientGrant>().Where(g => g.Audience == api.Identifier).ExecuteDeleteAsync(ct);
                await RemoveScopesAsync(db, api.Identifier, scopes: null, ct);
                db.Remove(api);
                return null;
            },
            cancellationToken);
        return problem ?? (Results<NoContent, ManagementProblem>)TypedResults.NoContent();
    }

    /// <summary>The API whose id or identifier is <paramref name="id"/>.</summary>
    internal static async Task<Api?> FindAsync(IQueryable<Api> apis, string id, CancellationToken cancellationToken)
    {
        var value = TenantWrites.RouteId(id);
        if (ResourceServerIds.TryParse(value, out var key) && await apis.FirstOrDefaultAsync(a => a.Id == key, cancellationToken) is { } byId)
        {
            return byId;
        }

        return value.Length <= ApiRules.MaxIdentifierLength ? await apis.FirstOrDefaultAsync(a => a.Identifier == value, cancellationToken) : null;
    }

    /// <summary>
    /// Removes <paramref name="scopes"/> of the API (all of them when null, the API is going) from client grants, role
    /// permissions and users' direct permissions, so nothing keeps a permission its API no longer defines.
    /// </summary>
    private static async Task RemoveScopesAsync(LatchkeyDbContext db, string identifier, HashSet<string>? scopes, CancellationToken cancellationToken)
    {
        if (scopes is { Count: 0 })
        {
            return;
        }

        if (scopes is not null)
        {
            foreach (var grant in await db.Set<ClientGrant>().Where(g => g.Audience == identifier).ToListAsync(cancellationToken))
            {
                if (grant.Scope.Any(scopes.Contains))
                {
                    grant.Scope = grant.Scope.Where(s => !scopes.Contains(s)).ToList();
                }
            }
        }

        var direct = db.Set<UserPermission>().Where(p => p.ResourceServerIdentifier == identifier);
        if (scopes is not null)
        {
            var names = scopes.ToList();
            direct = direct.Where(p => names.Contains(p.PermissionName));
        }

        await direct.ExecuteDeleteAsync(cancellationToken);

        foreach (var role in await db.Set<Role>().ToListAsync(cancellationToken))
        {
            bool Removed(RolePermission p) => p.ResourceServerIdentifier == identifier && (scopes is null || scopes.Contains(p.PermissionName));
            if (role.Permissions.Any(Removed))
            {
                role.Permissions = role.Permissions.Where(p => !Removed(p))
                    .Select(p => new RolePermission { ResourceServerIdentifier = p.ResourceServerIdentifier, PermissionName = p.PermissionName })
                    .ToList();
            }
        }
    }

    /// <summary>
    /// The API as it will be: <paramref name="current"/> (null on create) with the members the client sent. A changed
    /// <c>token_lifetime</c> drags <c>token_lifetime_for_web</c> down with it when that is not sent.
    /// </summary>
    private static ApiDraft Draft(ResourceServerMembers body, IReadOnlyList<string> sent, Api? current, string identifier)
    {
        bool Has(string member) => sent.Contains(member, StringComparer.Ordinal);
        int? forWeb = Has("token_lifetime_for_web") ? body.TokenLifetimeForWeb
            : current is null ? null
            : Has("token_lifetime") ? Math.Min(current.TokenLifetimeForWeb, body.TokenLifetime)
            : current.TokenLifetimeForWeb;
        return new ApiDraft
        {
            Identifier = identifier,
            Name = Has("name") ? body.Name : current?.Name,
            Scopes = Has("scopes")
                ? body.Scopes.Select(s => new ApiScopeDraft(s.Value, s.Description)).ToList()
                : current?.Scopes.Select(s => new ApiScopeDraft(s.Value, s.Description)).ToList(),
            SigningAlg = Has("signing_alg") ? body.SigningAlg : current?.SigningAlg,
            TokenLifetime = Has("token_lifetime") ? body.TokenLifetime : current?.TokenLifetime,
            TokenLifetimeForWeb = forWeb,
            AllowOfflineAccess = Has("allow_offline_access") ? body.AllowOfflineAccess : current?.AllowOfflineAccess,
            SkipConsentForVerifiableFirstPartyClients = Has("skip_consent_for_verifiable_first_party_clients")
                ? body.SkipConsentForVerifiableFirstPartyClients
                : current?.SkipConsentForVerifiableFirstPartyClients,
            EnforcePolicies = Has("enforce_policies") ? body.EnforcePolicies : current?.EnforcePolicies,
            TokenDialect = Has("token_dialect") ? body.TokenDialect : current?.TokenDialect,
        };
    }
}
