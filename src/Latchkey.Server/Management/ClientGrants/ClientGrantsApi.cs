using Latchkey.Server.Persistence;
using Latchkey.Server.Tenants;
using Latchkey.Server.Tenants.Rules;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Latchkey.Server.Management.ClientGrants;

/// <summary>
/// Management API v2, client grants: <c>GET/POST /api/v2/client-grants</c>, <c>GET/PATCH/DELETE
/// /api/v2/client-grants/{id}</c>. A list is paged by offset (<c>page</c>, <c>per_page</c>, <c>include_totals</c>, as
/// node-auth0 v4 asks) or by checkpoint (<c>from</c>, <c>take</c> → <c>{client_grants, next}</c>, as node-auth0 v5+ asks),
/// filtered by <c>audience</c> and <c>client_id</c>. Values and references are checked by
/// <see cref="ClientGrantRules"/>, the tenant file's rules (a confidential Application, scopes the API defines). Every
/// write goes through <see cref="TenantWriter"/>: the next client_credentials request sees it.
/// </summary>
internal static class ClientGrantsApi
{
    public static RouteGroupBuilder MapClientGrantsApi(this RouteGroupBuilder api)
    {
        var grants = api.MapGroup(string.Empty).WithTags("Client Grants");

        grants.MapGet("/client-grants", ListAsync)
            .WithName("get_client_grants")
            .WithSummary("Get client grants")
            .RequireManagementScope(ManagementScopes.ReadClientGrants);

        grants.MapPost("/client-grants", CreateAsync)
            .WithName("post_client_grants")
            .WithSummary("Create a client grant")
            .RequireManagementScope(ManagementScopes.CreateClientGrants)
            .ProducesManagementError(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

        grants.MapGet("/client-grants/{id}", GetAsync)
            .WithName("get_client_grants_by_id")
            .WithSummary("Get a client grant")
            .RequireManagementScope(ManagementScopes.ReadClientGrants)
            .ProducesManagementError(StatusCodes.Status404NotFound);

        grants.MapPatch("/client-grants/{id}", UpdateAsync)
            .WithName("patch_client_grants_by_id")
            .WithSummary("Update a client grant's scopes")
            .RequireManagementScope(ManagementScopes.UpdateClientGrants)
            .ProducesManagementError(StatusCodes.Status404NotFound);

        grants.MapDelete("/client-grants/{id}", DeleteAsync)
            .WithName("delete_client_grants_by_id")
            .WithSummary("Delete a client grant")
            .RequireManagementScope(ManagementScopes.DeleteClientGrants)
            .ProducesManagementError(StatusCodes.Status404NotFound);

        return api;
    }

    private static async Task<Results<PagedResult<ClientGrantResponse>, Ok<ClientGrantCheckpointPage>, ManagementProblem>> ListAsync(
        PageRequest page,
        HttpRequest request,
        [FromQuery(Name = "audience")] string? audience,
        [FromQuery(Name = "client_id")] string? clientId,
        [FromQuery(Name = "from")] string? from,
        [FromQuery(Name = "take")] string? take,
        LatchkeyDbContext db,
        CancellationToken cancellationToken)
    {
        var audienceProblem = ManagementQuery.Text(request, "audience", out var byAudience);
        var clientProblem = ManagementQuery.Text(request, "client_id", out var byClient);
        var checkpointProblem = CheckpointPaging.Read(request, offsetPagingToo: true, out var checkpoint);
        if ((audienceProblem ?? clientProblem ?? checkpointProblem) is { } problem)
        {
            return problem;
        }

        var query = db.Set<ClientGrant>().AsNoTracking();
        if (byAudience is not null)
        {
            query = query.Where(g => g.Audience == byAudience);
        }

        if (byClient is not null)
        {
            query = query.Where(g => g.ClientId == byClient);
        }

        var matching = (await query.ToListAsync(cancellationToken))
            .Select(ClientGrantResponse.From)
            .OrderBy(g => g.Id, StringComparer.Ordinal)
            .ToList();
        if (checkpoint is null)
        {
            return page.Respond(matching.Skip(page.Skip).Take(page.PerPage).ToList(), matching.Count);
        }

        var (items, next) = checkpoint.Slice(matching, g => g.Id);
        return TypedResults.Ok(new ClientGrantCheckpointPage(items, next));
    }

    private static async Task<Results<Ok<ClientGrantResponse>, ManagementProblem>> GetAsync(string id, LatchkeyDbContext db, CancellationToken cancellationToken)
    {
        var grant = ClientGrantIds.TryParse(id, out var key) ? await db.Set<ClientGrant>().AsNoTracking().FirstOrDefaultAsync(g => g.Id == key, cancellationToken) : null;
        return grant is null ? ManagementErrors.ClientGrantNotFound() : TypedResults.Ok(ClientGrantResponse.From(grant));
    }

    private static async Task<Results<Created<ClientGrantResponse>, ManagementProblem>> CreateAsync(
        ManagementBody<ClientGrantCreateRequest> body, LatchkeyDbContext db, TenantWriter writer, CancellationToken cancellationToken)
    {
        var draft = new ClientGrantDraft { ClientId = body.Value.ClientId, Audience = body.Value.Audience, Scope = body.Value.Scope };
        if (TenantWrites.FirstProblem(ClientGrantRules.Check(draft)) is { } invalid)
        {
            return invalid;
        }

        var grant = draft.ToClientGrant();
        var problem = await writer.RunAsync(
            async ct =>
            {
                var tenant = await TenantWrites.ReferencesAsync(db, ct);
                if (!tenant.ApplicationTypes.ContainsKey(grant.ClientId))
                {
                    return ManagementErrors.ClientNotFound();
                }

                if (!tenant.ApiScopes.ContainsKey(grant.Audience))
                {
                    return ManagementErrors.NoResourceWithIdentifier(grant.Audience);
                }

                if (TenantWrites.FirstProblem(ClientGrantRules.CheckReferences(draft, tenant)) is { } unreferenced)
                {
                    return unreferenced;
                }

                if (await db.Set<ClientGrant>().AnyAsync(g => g.ClientId == grant.ClientId && g.Audience == grant.Audience, ct))
                {
                    return Conflict();
                }

                db.Add(grant);
                return null;
            },
            cancellationToken,
            onConflict: Conflict);
        return problem ?? (Results<Created<ClientGrantResponse>, ManagementProblem>)TypedResults.Created(
            $"{ManagementServiceCollectionExtensions.PathPrefix}/client-grants/{ClientGrantIds.Format(grant.Id)}",
            ClientGrantResponse.From(grant));

        // Auth0 allows one grant per (client, audience).
        ManagementProblem Conflict() => ManagementErrors.Conflict(
            $"A client grant already exists between {grant.ClientId} and {grant.Audience}", ManagementErrorCodes.ClientGrantConflict);
    }

    private static async Task<Results<Ok<ClientGrantResponse>, ManagementProblem>> UpdateAsync(
        string id, ManagementBody<ClientGrantUpdateRequest> body, LatchkeyDbContext db, TenantWriter writer, CancellationToken cancellationToken)
    {
        ClientGrant? updated = null;
        var problem = await writer.RunAsync(
            async ct =>
            {
                var grant = ClientGrantIds.TryParse(id, out var key) ? await db.Set<ClientGrant>().FirstOrDefaultAsync(g => g.Id == key, ct) : null;
                if (grant is null)
                {
                    return ManagementErrors.ClientGrantNotFound();
                }

                var draft = new ClientGrantDraft { ClientId = grant.ClientId, Audience = grant.Audience, Scope = body.Value.Scope };
                var problems = ClientGrantRules.Check(draft);
                if (problems.Count == 0)
                {
                    problems = ClientGrantRules.CheckReferences(draft, await TenantWrites.ReferencesAsync(db, ct));
                }

                if (TenantWrites.FirstProblem(problems) is { } invalid)
                {
                    return invalid;
                }

                grant.Scope = draft.ToClientGrant().Scope;
                updated = grant;
                return null;
            },
            cancellationToken);
        return problem ?? (Results<Ok<ClientGrantResponse>, ManagementProblem>)TypedResults.Ok(ClientGrantResponse.From(updated!));
    }

    private static async Task<Results<NoContent, ManagementProblem>> DeleteAsync(string id, LatchkeyDbContext db, TenantWriter writer, CancellationToken cancellationToken)
    {
        var problem = await writer.RunAsync(
            async ct =>
            {
                var grant = ClientGrantIds.TryParse(id, out var key) ? await db.Set<ClientGrant>().FirstOrDefaultAsync(g => g.Id == key, ct) : null;
                if (grant is null)
                {
                    return ManagementErrors.ClientGrantNotFound();
                }

                db.Remove(grant);
                return null;
            },
            cancellationToken);
        return problem ?? (Results<NoContent, ManagementProblem>)TypedResults.NoContent();
    }
}
