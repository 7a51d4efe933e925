using Latchkey.Server.AttackProtection;
using Latchkey.Server.Logs;
using Latchkey.Server.Persistence;
using Latchkey.Server.Sessions;
using Latchkey.Server.Tenants;
using Latchkey.Server.Users;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Latchkey.Server.Management.Users;

/// <summary>
/// Management API v2, users (docs/reference/auth0-wire.md §15): <c>GET/PATCH /api/v2/users/{id}</c>, <c>DELETE
/// /api/v2/users/{id}/sessions</c> and <c>GET/DELETE /api/v2/user-blocks/{id}</c>. Current-user scopes
/// (<c>read:current_user</c>, <c>update:current_user_metadata</c>, <c>create:current_user_metadata</c>) reach only the
/// token's own <c>sub</c> and, for PATCH, only <c>user_metadata</c>; <c>read:users</c>/<c>update:users</c> reach
/// every user.
/// </summary>
internal static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this RouteGroupBuilder api)
    {
        var users = api.MapGroup(string.Empty).WithTags("Users");

        users.MapGet("/users/{id}", GetAsync)
            .WithName("get_users_by_id")
            .WithSummary("Get a user")
            .RequireManagementScope(ManagementScopes.ReadUsers, ManagementScopes.ReadCurrentUser)
            .ProducesManagementError(StatusCodes.Status404NotFound);

        users.MapPatch("/users/{id}", PatchAsync)
            .WithName("patch_users_by_id")
            .WithSummary("Update a user")
            .RequireManagementScope(ManagementScopes.UpdateUsers, ManagementScopes.UpdateCurrentUserMetadata, ManagementScopes.CreateCurrentUserMetadata)
            .ProducesManagementError(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

        // Auth0 asks for delete:sessions; here the administrator scope update:users grants it too.
        users.MapDelete("/users/{id}/sessions", DeleteSessionsAsync)
            .WithName("delete_sessions_for_user")
            .WithSummary("End every login session of a user")
            .RequireManagementScope(ManagementScopes.DeleteSessions, ManagementScopes.UpdateUsers)
            .ProducesManagementError(StatusCodes.Status404NotFound);

        users.MapGet("/user-blocks/{id}", GetBlocksAsync)
            .WithName("get_user_blocks_by_id")
            .WithSummary("Get a user's brute-force blocks")
            .RequireManagementScope(ManagementScopes.ReadUsers)
            .ProducesManagementError(StatusCodes.Status404NotFound);

        users.MapDelete("/user-blocks/{id}", DeleteBlocksAsync)
            .WithName("delete_user_blocks_by_id")
            .WithSummary("Lift a user's brute-force blocks")
            .RequireManagementScope(ManagementScopes.UpdateUsers)
            .ProducesManagementError(StatusCodes.Status404NotFound);

        return api;
    }

    private static async Task<Results<Ok<UserResponse>, ManagementProblem>> GetAsync(string id, LatchkeyDbContext db, CancellationToken cancellationToken)
    {
        var user = await db.Set<User>().AsNoTracking().FirstOrDefaultAsync(u => u.UserId == id, cancellationToken);
        return user is null ? ManagementErrors.UserNotFound() : TypedResults.Ok(UserResponse.From(user));
    }

    private static async Task<Results<Ok<UserResponse>, ManagementProblem>> PatchAsync(
        string id,
        ManagementBody<UserUpdateRequest> body,
        ManagementCaller caller,
        LatchkeyDbContext db,
        IPasswordHasher<User> hasher,
        LoginThrottleService throttle,
        SignOutEverywhere signOut,
        TimeProvider time,
        TenantLog log,
        HttpContext http,
        CancellationToken cancellationToken)
    {
        // Auth0: a current-user token may change user_metadata only (no app_metadata, email, password…).
        if (!caller.Has(ManagementScopes.UpdateUsers) && body.Members.Any(m => !UserPatch.CurrentUserFields.Contains(m)))
        {
            return ManagementErrors.InsufficientScope(ManagementScopes.UpdateUsers);
        }

        // Auth0 answers a connection other than the user's with its own 400, not a payload validation error.
        if (body.Members.Contains("connection") && body.Value.Connection != Connection.DefaultName)
        {
            return ManagementErrors.ConnectionNotFound();
        }

        var user = await db.Set<User>().FirstOrDefaultAsync(u => u.UserId == id, cancellationToken);
        if (user is null)
        {
            return ManagementErrors.UserNotFound();
        }

        if (UserPatch.Apply(user, body, hasher, out var passwordChanged) is { } problem)
        {
            if (problem.Path == "password")
            {
                log.Write(PasswordChangeLog(http, caller, user, problem.Problem));
            }

            return ManagementErrors.InvalidBody(problem);
        }

        var previousEmail = db.Entry(user).Property(u => u.NormalizedEmail).OriginalValue;
        user.UpdatedAt = time.GetUtcNow();
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ManagementErrors.Conflict("The user was changed by another request at the same time; send the change again.", ManagementErrorCodes.Conflict);
        }
        catch (DbUpdateException) when (previousEmail != user.NormalizedEmail)
        {
            return ManagementErrors.Conflict("The specified new email already exists", ManagementErrorCodes.EmailConflicts);
        }

        // A password set by an administrator counts as a password reset: it lifts brute-force blocks (Auth0).
        if (passwordChanged)
        {
            log.Write(PasswordChangeLog(http, caller, user, failure: null));
            await throttle.UnblockAsync(previousEmail, cancellationToken);
            await throttle.UnblockAsync(user.NormalizedEmail, cancellationToken);
        }

        // A new password cuts off whoever knew the old one, and a blocked user is logged out everywhere at once, not when
        // their session happens to expire: sessions end and refresh tokens are revoked (RT-8), so unblocking later
        // does not bring old sessions or refresh tokens back.
        if (passwordChanged || user.Blocked)
        {
            await signOut.RunAsync(user.UserId, cancellationToken);
        }

        return TypedResults.Ok(UserResponse.From(user));
    }

    /// <summary>Auth0 logs an administrator's password change as <c>scp</c> (or <c>fcp</c> with the policy's reason).</summary>
    private static LogEntry PasswordChangeLog(HttpContext http, ManagementCaller caller, User user, string? failure) =>
        LogEntry.For(http, failure is null ? LogEventTypes.SuccessChangePassword : LogEventTypes.FailedChangePassword) with
        {
            ClientId = caller.ClientId,
            UserId = user.UserId,
            UserName = user.Email,
            Description = failure,
        };

    /// <summary>
    /// Auth0 <c>DELETE /api/v2/users/{id}/sessions</c>: ends every login session of the user, so the next
    /// <c>prompt=none</c> gets <c>login_required</c> (SES-6). Unlike Auth0, which leaves refresh tokens alone here, the
    /// user's refresh tokens are revoked as well: an administrator ending sessions means "sign this user out", and a
    /// refresh token is a session by another name (docs/security.md).
    /// </summary>
    private static async Task<Results<Accepted, ManagementProblem>> DeleteSessionsAsync(string id, LatchkeyDbContext db, SignOutEverywhere signOut, CancellationToken cancellationToken)
    {
        if (!await db.Set<User>().AnyAsync(u => u.UserId == id, cancellationToken))
        {
            return ManagementErrors.UserNotFound();
        }

        await signOut.RunAsync(id, cancellationToken);
        return TypedResults.Accepted((string?)null);
    }

    private static async Task<Results<Ok<UserBlocksResponse>, ManagementProblem>> GetBlocksAsync(string id, LatchkeyDbContext db, LoginThrottleService throttle, CancellationToken cancellationToken)
    {
        var user = await db.Set<User>().AsNoTracking().FirstOrDefaultAsync(u => u.UserId == id, cancellationToken);
        if (user is null)
        {
            return ManagementErrors.UserNotFound();
        }

        var blocks = await throttle.GetBlocksAsync(user.NormalizedEmail, cancellationToken);
        return TypedResults.Ok(new UserBlocksResponse(blocks.Select(b => new UserBlockResponse(user.Email, b.IpAddress)).ToList()));
    }

    /// <summary>Auth0 <c>DELETE /api/v2/user-blocks/{id}</c>: an administrator lifts the brute-force blocks of a user.</summary>
    private static async Task<Results<NoContent, ManagementProblem>> DeleteBlocksAsync(string id, LatchkeyDbContext db, LoginThrottleService throttle, CancellationToken cancellationToken)
    {
        var email = await db.Set<User>().Where(u => u.UserId == id).Select(u => u.NormalizedEmail).FirstOrDefaultAsync(cancellationToken);
        if (email is null)
        {
            return ManagementErrors.UserNotFound();
        }

        await throttle.UnblockAsync(email, cancellationToken);
        return TypedResults.NoContent();
    }
}
