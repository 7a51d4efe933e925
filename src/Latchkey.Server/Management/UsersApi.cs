using System.Text.Json;
using System.Text.Json.Nodes;
using Latchkey.Server.AttackProtection;
using Latchkey.Server.Hosting;
using Latchkey.Server.Hosting.Cors;
using Latchkey.Server.Persistence;
using Latchkey.Server.Sessions;
using Latchkey.Server.Tenants;
using Latchkey.Server.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Management;

/// <summary>
/// Management API v2, users (docs/reference/auth0-wire.md §15): <c>GET/PATCH /api/v2/users/{id}</c> and
/// <c>GET/DELETE /api/v2/user-blocks/{id}</c>. Current-user scopes (<c>read:current_user</c>,
/// <c>update:current_user_metadata</c>, <c>create:current_user_metadata</c>) reach only the token's own <c>sub</c>
/// and, for PATCH, only <c>user_metadata</c>; <c>read:users</c>/<c>update:users</c> reach every user.
/// </summary>
internal static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this RouteGroupBuilder api)
    {
        api.MapGet("/users/{id}", GetAsync);
        api.MapMethods("/users/{id}", [HttpMethods.Patch], PatchAsync);
        api.MapGet("/user-blocks/{id}", GetBlocksAsync);
        api.MapDelete("/user-blocks/{id}", DeleteBlocksAsync);
        api.MapDelete("/users/{id}/sessions", DeleteSessionsAsync);
        return api;
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, LatchkeyDbContext db)
    {
        var (caller, error) = await ManagementAuthentication.AuthenticateAsync(http);
        if (caller is null)
        {
            return error!;
        }

        if (Authorize(caller, id, ManagementScopes.ReadUsers, [ManagementScopes.ReadCurrentUser]) is { } denied)
        {
            return denied;
        }

        var user = await db.Set<User>().AsNoTracking().FirstOrDefaultAsync(u => u.UserId == id, http.RequestAborted);
        return user is null ? ManagementErrors.UserNotFound() : Ok(UserResponse.From(user));
    }

    private static async Task<IResult> PatchAsync(string id, HttpContext http, LatchkeyDbContext db, IPasswordHasher<User> hasher, LoginThrottleService throttle, LoginSessionStore sessions, IOptions<LatchkeyOptions> options, TimeProvider time)
    {
        var limits = options.Value.Management;
        var (caller, error) = await ManagementAuthentication.AuthenticateAsync(http);
        if (caller is null)
        {
            return error!;
        }

        if (Authorize(caller, id, ManagementScopes.UpdateUsers, [ManagementScopes.UpdateCurrentUserMetadata, ManagementScopes.CreateCurrentUserMetadata]) is { } denied)
        {
            return denied;
        }

        var (body, bodyError) = await ReadObjectAsync(http, limits.MaxRequestBodyBytes);
        if (body is null)
        {
            return bodyError!;
        }

        // Auth0: a current-user token may change user_metadata only (no app_metadata, email, password…).
        if (!caller.Has(ManagementScopes.UpdateUsers))
        {
            if (body.Select(p => p.Key).FirstOrDefault(k => !UserPatch.CurrentUserFields.Contains(k)) is not null)
            {
                return ManagementErrors.InsufficientScope(ManagementScopes.UpdateUsers);
            }
        }

        var user = await db.Set<User>().FirstOrDefaultAsync(u => u.UserId == id, http.RequestAborted);
        if (user is null)
        {
            return ManagementErrors.UserNotFound();
        }

        if (UserPatch.Apply(user, body, hasher, limits.MaxMetadataBytes, out var passwordChanged) is { } problem)
        {
            return ManagementErrors.BadRequest(problem);
        }

        var previousEmail = db.Entry(user).Property(u => u.NormalizedEmail).OriginalValue;
        user.UpdatedAt = time.GetUtcNow();
        try
        {
            await db.SaveChangesAsync(http.RequestAborted);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ManagementErrors.Conflict("The user was changed by another request at the same time; send the change again.", "conflict");
        }
        catch (DbUpdateException) when (previousEmail != user.NormalizedEmail)
        {
            return ManagementErrors.Conflict("The specified new email already exists", "email_conflicts");
        }

        // A password set by an administrator counts as a password reset: it lifts brute-force blocks (Auth0).
        if (passwordChanged)
        {
            await throttle.UnblockAsync(previousEmail, http.RequestAborted);
            await throttle.UnblockAsync(user.NormalizedEmail, http.RequestAborted);
        }

        // A blocked user is logged out everywhere at once, not when their session happens to expire.
        if (user.Blocked)
        {
            await sessions.RemoveAllAsync(user.UserId, http.RequestAborted);
        }

        return Ok(UserResponse.From(user));
    }

    /// <summary>
    /// Auth0 <c>DELETE /api/v2/users/{id}/sessions</c>: ends every login session of the user, so the next
    /// <c>prompt=none</c> gets <c>login_required</c> (SES-6). Auth0 asks for <c>delete:sessions</c>; here the
    /// administrator scope <c>update:users</c> grants it too.
    /// </summary>
    private static async Task<IResult> DeleteSessionsAsync(string id, HttpContext http, LatchkeyDbContext db, LoginSessionStore sessions)
    {
        var (caller, error) = await ManagementAuthentication.AuthenticateAsync(http);
        if (caller is null)
        {
            return error!;
        }

        if (!caller.Has(ManagementScopes.UpdateUsers) && !caller.Has(ManagementScopes.DeleteSessions))
        {
            return ManagementErrors.InsufficientScope(ManagementScopes.DeleteSessions, ManagementScopes.UpdateUsers);
        }

        if (!await db.Set<User>().AnyAsync(u => u.UserId == id, http.RequestAborted))
        {
            return ManagementErrors.UserNotFound();
        }

        await sessions.RemoveAllAsync(id, http.RequestAborted);
        return Results.Accepted();
    }

    private static async Task<IResult> GetBlocksAsync(string id, HttpContext http, LatchkeyDbContext db, LoginThrottleService throttle)
    {
        var (caller, error) = await ManagementAuthentication.AuthenticateAsync(http);
        if (caller is null)
        {
            return error!;
        }

        if (!caller.Has(ManagementScopes.ReadUsers))
        {
            return ManagementErrors.InsufficientScope(ManagementScopes.ReadUsers);
        }

        var user = await db.Set<User>().AsNoTracking().FirstOrDefaultAsync(u => u.UserId == id, http.RequestAborted);
        if (user is null)
        {
            return ManagementErrors.UserNotFound();
        }

        var blocks = await throttle.GetBlocksAsync(user.NormalizedEmail, http.RequestAborted);
        return Ok(new UserBlocksResponse(blocks.Select(b => new UserBlockResponse(user.Email, b.IpAddress)).ToList()));
    }

    /// <summary>Auth0 <c>DELETE /api/v2/user-blocks/{id}</c>: an administrator lifts the brute-force blocks of a user.</summary>
    private static async Task<IResult> DeleteBlocksAsync(string id, HttpContext http, LatchkeyDbContext db, LoginThrottleService throttle)
    {
        var (caller, error) = await ManagementAuthentication.AuthenticateAsync(http);
        if (caller is null)
        {
            return error!;
        }

        if (!caller.Has(ManagementScopes.UpdateUsers))
        {
            return ManagementErrors.InsufficientScope(ManagementScopes.UpdateUsers);
        }

        var email = await db.Set<User>().Where(u => u.UserId == id).Select(u => u.NormalizedEmail).FirstOrDefaultAsync(http.RequestAborted);
        if (email is null)
        {
            return ManagementErrors.UserNotFound();
        }

        await throttle.UnblockAsync(email, http.RequestAborted);
        return Results.NoContent();
    }

    /// <summary>
    /// The any-user scope reaches every user; the current-user scopes reach only the token's own subject. The id is
    /// compared after routing decoded it, so <c>latchkey|…</c> and <c>latchkey%7C…</c> are the same user.
    /// </summary>
    private static IResult? Authorize(ManagementCaller caller, string id, string anyUserScope, string[] currentUserScopes)
    {
        if (caller.Has(anyUserScope))
        {
            return null;
        }

        if (!currentUserScopes.Any(caller.Has))
        {
            return ManagementErrors.InsufficientScope([anyUserScope, .. currentUserScopes]);
        }

        return string.Equals(id, caller.Subject, StringComparison.Ordinal) ? null : ManagementErrors.OtherUser();
    }

    private static async Task<(JsonObject? Body, IResult? Error)> ReadObjectAsync(HttpContext http, int maxBodyBytes)
    {
        if (!http.Request.HasJsonContentType())
        {
            return (null, ManagementErrors.UnsupportedMediaType());
        }

        if (http.Request.ContentLength > maxBodyBytes)
        {
            return (null, ManagementErrors.PayloadTooLarge(maxBodyBytes));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            if (buffer.Length + read > maxBodyBytes)
            {
                return (null, ManagementErrors.PayloadTooLarge(maxBodyBytes));
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            var node = JsonNode.Parse(buffer.ToArray(), documentOptions: new JsonDocumentOptions { MaxDepth = 32 });
            return node is JsonObject body
                ? (body, null)
                : (null, ManagementErrors.BadRequest("Payload validation error: 'Expected type object but found type " + (node is null ? "null" : node.GetValueKind().ToString().ToLowerInvariant()) + "'."));
        }
        catch (JsonException)
        {
            return (null, ManagementErrors.BadRequest("Invalid request payload JSON format"));
        }
    }

    private static IResult Ok<T>(T value) => Results.Json(value);

    public static void Map(WebApplication app)
    {
        app.MapGroup("/api/v2").MapUsersApi().RequireCors(ClientCorsPolicyProvider.PolicyName);
    }
}
