using Latchkey.Server.Persistence;
using Latchkey.Server.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OpenIddict.Abstractions;

namespace Latchkey.Server.Management.Grants;

/// <summary>
/// Management API v2, grants (what users granted Applications; OpenIddict authorizations): <c>GET /api/v2/grants</c>
/// (<c>user_id</c>, <c>client_id</c>, <c>audience</c>, paged), <c>DELETE /api/v2/grants/{id}</c> and
/// <c>DELETE /api/v2/grants?user_id=</c>. Deleting a grant revokes it and every refresh token it issued: the next
/// refresh with one of them is <c>invalid_grant</c>.
/// </summary>
internal static class GrantsApi
{
    public static RouteGroupBuilder MapGrantsApi(this RouteGroupBuilder api)
    {
        var grants = api.MapGroup(string.Empty).WithTags("Grants");

        grants.MapGet("/grants", ListAsync)
            .WithName("get_grants")
            .WithSummary("Get grants")
            .RequireManagementScope(ManagementScopes.ReadGrants);

        grants.MapDelete("/grants/{id}", DeleteAsync)
            .WithName("delete_grants_by_id")
            .WithSummary("Delete a grant and revoke its refresh tokens")
            .RequireManagementScope(ManagementScopes.DeleteGrants);

        grants.MapDelete("/grants", DeleteByUserAsync)
            .WithName("delete_grants_by_user_id")
            .WithSummary("Delete a user's grants and revoke their refresh tokens")
            .RequireManagementScope(ManagementScopes.DeleteGrants);

        return api;
    }

    private static async Task<Results<PagedResult<GrantResponse>, ManagementProblem>> ListAsync(
        PageRequest page,
        HttpRequest request,
        [FromQuery(Name = "user_id")] string? userId,
        [FromQuery(Name = "client_id")] string? clientId,
        [FromQuery(Name = "audience")] string? audience,
        LatchkeyDbContext db,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var userProblem = ManagementQuery.Text(request, "user_id", out var byUser);
        var clientProblem = ManagementQuery.Text(request, "client_id", out var byClient);
        var audienceProblem = ManagementQuery.Text(request, "audience", out var byAudience);
        if ((userProblem ?? clientProblem ?? audienceProblem) is { } problem)
        {
            return problem;
        }

        var matching = (await GrantFamilies.ListAsync(db, time.GetUtcNow(), byUser, id: null, cancellationToken))
            .Where(g => byClient is null || g.ClientId == byClient)
            .Where(g => byAudience is null || g.Audience == byAudience)
            .Select(GrantResponse.From)
            .ToList();
        return page.Respond(matching.Skip(page.Skip).Take(page.PerPage).ToList(), matching.Count);
    }

    /// <summary>204 whether or not the grant exists (Auth0 documents no 404 here): the grant is gone either way.</summary>
    private static async Task<NoContent> DeleteAsync(
        string id, IOpenIddictTokenManager tokens, IOpenIddictAuthorizationManager authorizations, CancellationToken cancellationToken)
    {
        await GrantFamilies.RevokeAsync(tokens, authorizations, id, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ManagementProblem>> DeleteByUserAsync(
        HttpRequest request,
        [FromQuery(Name = "user_id")] string? userId,
        IOpenIddictTokenManager tokens,
        IOpenIddictAuthorizationManager authorizations,
        CancellationToken cancellationToken)
    {
        if (ManagementQuery.Text(request, "user_id", out var user) is { } problem)
        {
            return problem;
        }

        if (string.IsNullOrEmpty(user))
        {
            return ManagementErrors.InvalidQuery("Query validation error: 'Missing required property: user_id'.");
        }

        await GrantFamilies.RevokeUserAsync(tokens, authorizations, user, cancellationToken);
        return TypedResults.NoContent();
    }
}
