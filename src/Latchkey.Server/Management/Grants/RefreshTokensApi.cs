using Latchkey.Server.Persistence;
using Latchkey.Server.Tenants;
using Latchkey.Server.Users;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;

namespace Latchkey.Server.Management.Grants;

/// <summary>
/// Management API v2, refresh tokens: <c>GET/DELETE /api/v2/users/{id}/refresh-tokens</c> and
/// <c>GET/DELETE /api/v2/refresh-tokens/{id}</c>. A refresh token here is a family (every rotation of one login's
/// token), identified by its authorization; only families holding a usable token are listed. Revoking one revokes the
/// authorization too, so a rotation in flight cannot bring the family back.
/// </summary>
internal static class RefreshTokensApi
{
    public static RouteGroupBuilder MapRefreshTokensApi(this RouteGroupBuilder api)
    {
        var refreshTokens = api.MapGroup(string.Empty).WithTags("Refresh Tokens");

        refreshTokens.MapGet("/users/{id}/refresh-tokens", ListForUserAsync)
            .WithName("get_refresh_tokens_for_user")
            .WithSummary("Get a user's refresh tokens")
            .RequireManagementScope(ManagementScopes.ReadRefreshTokens)
            .ProducesManagementError(StatusCodes.Status404NotFound);

        refreshTokens.MapDelete("/users/{id}/refresh-tokens", DeleteForUserAsync)
            .WithName("delete_refresh_tokens_for_user")
            .WithSummary("Revoke a user's refresh tokens")
            .RequireManagementScope(ManagementScopes.DeleteRefreshTokens)
            .ProducesManagementError(StatusCodes.Status404NotFound);

        refreshTokens.MapGet("/refresh-tokens/{id}", GetAsync)
            .WithName("get_refresh_token")
            .WithSummary("Get a refresh token")
            .RequireManagementScope(ManagementScopes.ReadRefreshTokens)
            .ProducesManagementError(StatusCodes.Status404NotFound);

        refreshTokens.MapDelete("/refresh-tokens/{id}", DeleteAsync)
            .WithName("delete_refresh_token")
            .WithSummary("Revoke a refresh token (its whole family)")
            .RequireManagementScope(ManagementScopes.DeleteRefreshTokens);

        return api;
    }

    private static async Task<Results<Ok<RefreshTokenPage>, ManagementProblem>> ListForUserAsync(
        string id,
        HttpRequest request,
        [FromQuery(Name = "from")] string? from,
        [FromQuery(Name = "take")] string? take,
        LatchkeyDbContext db,
        TenantCache tenants,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (CheckpointPaging.Read(request, offsetPagingToo: false, out var checkpoint) is { } problem)
        {
            return problem;
        }

        if (!await db.Set<User>().AnyAsync(u => u.UserId == id, cancellationToken))
        {
            return ManagementErrors.UserNotFound();
        }

        var tenant = await tenants.GetAsync(cancellationToken);

        var families = (await GrantFamilies.ListAsync(db, time.GetUtcNow(), id, id: null, cancellationToken)).Where(f => f.RefreshToken is not null);
        var (items, next) = (checkpoint ?? new CheckpointPaging(null, PageRequest.DefaultPerPage)).Slice(families, f => f.Id);
        return TypedResults.Ok(new RefreshTokenPage(items.Select(f => RefreshTokenResponse.From(f, tenant)).ToList(), next));
    }

    /// <summary>202 as Auth0 ("Refresh token deletion request accepted"); the revocation is done when it answers.</summary>
    private static async Task<Results<Accepted, ManagementProblem>> DeleteForUserAsync(
        string id, LatchkeyDbContext db, IOpenIddictTokenManager tokens, IOpenIddictAuthorizationManager authorizations, CancellationToken cancellationToken)
    {
        if (!await db.Set<User>().AnyAsync(u => u.UserId == id, cancellationToken))
        {
            return ManagementErrors.UserNotFound();
        }

        await GrantFamilies.RevokeUserAsync(tokens, authorizations, id, cancellationToken);
        return TypedResults.Accepted((string?)null);
    }

    private static async Task<Results<Ok<RefreshTokenResponse>, ManagementProblem>> GetAsync(
        string id, LatchkeyDbContext db, TenantCache tenants, TimeProvider time, CancellationToken cancellationToken)
    {
        var family = (await GrantFamilies.ListAsync(db, time.GetUtcNow(), userId: null, id, cancellationToken)).SingleOrDefault(f => f.RefreshToken is not null);
        return family is null
            ? ManagementErrors.RefreshTokenNotFound()
            : TypedResults.Ok(RefreshTokenResponse.From(family, await tenants.GetAsync(cancellationToken)));
    }

    /// <summary>202 whether or not the token exists (Auth0 documents no 404 here).</summary>
    private static async Task<Accepted> DeleteAsync(
        string id, IOpenIddictTokenManager tokens, IOpenIddictAuthorizationManager authorizations, CancellationToken cancellationToken)
    {
        await GrantFamilies.RevokeAsync(tokens, authorizations, id, cancellationToken);
        return TypedResults.Accepted((string?)null);
    }
}
