using Latchkey.Server.Accounts;
using Latchkey.Server.AttackProtection;
using Latchkey.Server.Email;
using Latchkey.Server.Logs;
using Latchkey.Server.Management.Users.Search;
using Latchkey.Server.Persistence;
using Latchkey.Server.Sessions;
using Latchkey.Server.Tenants;
using Latchkey.Server.Tenants.Rules;
using Latchkey.Server.Users;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
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

        users.MapGet("/users", ListAsync)
            .WithName("get_users")
            .WithSummary("List or search users (q, Lucene syntax of Auth0's user search v3)")
            .RequireManagementScope(ManagementScopes.ReadUsers);

        users.MapPost("/users", CreateAsync)
            .WithName("post_users")
            .WithSummary("Create a user of the database connection")
            .RequireManagementScope(ManagementScopes.CreateUsers)
            .ProducesManagementError(StatusCodes.Status409Conflict);

        users.MapDelete("/users/{id}", DeleteAsync)
            .WithName("delete_users_by_id")
            .WithSummary("Delete a user: ends their sessions, revokes their refresh tokens, removes their roles and permissions")
            .RequireManagementScope(ManagementScopes.DeleteUsers)
            .ProducesManagementError(StatusCodes.Status404NotFound);

        users.MapGet("/users-by-email", ListByEmailAsync)
            .WithName("get_users_by_email")
            .WithSummary("Find users by email (exact, case-insensitive)")
            .RequireManagementScope(ManagementScopes.ReadUsers)
            .ProducesManagementError(StatusCodes.Status400BadRequest);

        users.MapGet("/user-blocks", GetBlocksByIdentifierAsync)
            .WithName("get_user_blocks")
            .WithSummary("Get the brute-force blocks of an identifier (email)")
            .RequireManagementScope(ManagementScopes.ReadUsers)
            .ProducesManagementError(StatusCodes.Status400BadRequest);

        users.MapDelete("/user-blocks", DeleteBlocksByIdentifierAsync)
            .WithName("delete_user_blocks")
            .WithSummary("Lift the brute-force blocks of an identifier (email)")
            .RequireManagementScope(ManagementScopes.UpdateUsers)
            .ProducesManagementError(StatusCodes.Status400BadRequest);

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

    /// <summary>
    /// Auth0 <c>GET /api/v2/users</c>: paging, <c>sort</c>, <c>fields</c>/<c>include_fields</c> and <c>q</c> (user search
    /// v3, <see cref="UserQueryParser"/>), filtered, sorted, counted and paged by the database.
    /// </summary>
    private static async Task<Results<PagedResult<UserResponse>, ManagementProblem>> ListAsync(
        PageRequest page,
        HttpRequest request,
        [FromQuery(Name = "q")] string? q,
        [FromQuery(Name = "search_engine")] string? searchEngine,
        [FromQuery(Name = "sort")] string? sort,
        [FromQuery(Name = "fields")] string? fields,
        [FromQuery(Name = "include_fields")] string? includeFields,
        LatchkeyDbContext db,
        CancellationToken cancellationToken)
    {
        var fieldsProblem = ManagementQuery.Fields(request, out var selection);
        var queryProblem = ManagementQuery.Text(request, "q", out var text);
        var sortProblem = ManagementQuery.Text(request, "sort", out var order);
        var engineProblem = ManagementQuery.Text(request, "search_engine", out var engine);
        if ((fieldsProblem ?? queryProblem ?? sortProblem ?? engineProblem) is { } problem)
        {
            return problem;
        }

        // Auth0 retired search engine v1 (400) and kept v2 beside v3; Latchkey's one engine answers v2 and v3 alike.
        if (engine is not (null or "v2" or "v3"))
        {
            return ManagementQuery.Invalid(engine == "v1" ? "The search_engine v1 is no longer supported; use v3" : "Value must be one of v2, v3", "search_engine");
        }

        // Auth0's search pages through the first 1000 results only: page * per_page + per_page > 1000 is refused.
        if (page.Skip + page.PerPage > MaxSearchResults)
        {
            return ManagementErrors.PagingLimit();
        }

        var users = db.Set<User>().AsNoTracking();
        try
        {
            if (!string.IsNullOrWhiteSpace(text))
            {
                var dialect = db.Database.IsNpgsql() ? UserSearchDialect.Postgres : UserSearchDialect.Sqlite;
                users = users.Where(UserQueryFilter.Build(UserQueryParser.Parse(text), dialect));
            }

            users = UserSort.Apply(users, order);
        }
        catch (UserQuerySyntaxException exception)
        {
            return ManagementQuery.Invalid(exception.Message, order is not null && exception.Message.StartsWith("sort ", StringComparison.Ordinal) ? "sort" : "q");
        }

        var total = page.IncludeTotals ? await users.CountAsync(cancellationToken) : 0;
        var found = await users.Skip(page.Skip).Take(page.PerPage).ToListAsync(cancellationToken);
        return page.Respond(found.Select(u => Shape(UserResponse.From(u), selection)).ToList(), total);
    }

    /// <summary>
    /// Auth0 <c>POST /api/v2/users</c> for the database connection. A user created here may sign in at once; the
    /// connection's <c>disable_signup</c> does not apply (it closes self sign-up, not administration), as in Auth0.
    /// The verification email follows Auth0's rule (<see cref="UserCreateRequest.SendsVerification"/>) and is queued
    /// after the user is stored. Asked for explicitly (<c>verify_email: true</c>) where no mail can be sent, the request
    /// is refused before anything is written; by default it is skipped there.
    /// </summary>
    private static async Task<Results<Created<UserResponse>, ManagementProblem>> CreateAsync(
        ManagementBody<UserCreateRequest> body,
        LatchkeyDbContext db,
        IPasswordHasher<User> hasher,
        TenantCache tenants,
        AccountMail mail,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var request = body.Value;
        if (request.Connection != Connection.DefaultName)
        {
            return ManagementErrors.ConnectionNotFound();
        }

        if (request.VerifyEmail == true && !mail.CanSend)
        {
            return ManagementErrors.MailUnavailable(MailQueue.NotConfigured);
        }

        if (!EmailAddress.TryNormalize(request.Email, out var email, out var normalized, out _))
        {
            return ManagementErrors.InvalidBody(new RuleProblem("email", UserRules.Email(request.Email)!));
        }

        var userMetadata = request.UserMetadata?.ToJsonString() ?? "{}";
        var appMetadata = request.AppMetadata?.ToJsonString() ?? "{}";
        var problems = new List<RuleProblem>();
        var passwords = (await tenants.GetAsync(cancellationToken)).Connection.PasswordRequirements;
        problems.Add("password", UserRules.Password(request.Password, email, rejectCommon: true, passwords));
        problems.Add("user_id", request.UserId is { } id ? UserIdRule(id) : null);
        problems.Add("name", request.Name is { } name ? UserRules.Name(name) : null);
        problems.Add("nickname", request.Nickname is { } nickname ? UserRules.Name(nickname) : null);
        problems.Add("given_name", request.GivenName is { } given ? UserRules.Name(given) : null);
        problems.Add("family_name", request.FamilyName is { } family ? UserRules.Name(family) : null);
        problems.Add("picture", request.Picture is { } picture ? UserRules.Picture(picture) : null);
        problems.Add("user_metadata", UserRules.Metadata(userMetadata));
        problems.Add("app_metadata", UserRules.Metadata(appMetadata));
        if (ManagementErrors.FirstInvalid(problems) is { } invalid)
        {
            return invalid;
        }

        var user = User.Create(email, time.GetUtcNow());
        if (request.UserId is { } chosen)
        {
            user.UserId = $"{User.Provider}|{chosen}";
        }

        user.EmailVerified = request.EmailVerified;
        user.Name = request.Name;
        user.Nickname = request.Nickname ?? user.Nickname;
        user.GivenName = request.GivenName;
        user.FamilyName = request.FamilyName;
        user.Picture = request.Picture;
        user.Blocked = request.Blocked;
        user.UserMetadata = userMetadata;
        user.AppMetadata = appMetadata;
        user.PasswordHash = hasher.HashPassword(user, request.Password);

        if (await db.Set<User>().AnyAsync(u => u.NormalizedEmail == normalized || u.UserId == user.UserId, cancellationToken))
        {
            return ManagementErrors.UserExists();
        }

        db.Add(user);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A concurrent create of the same email or id lost the race on the unique index.
            return ManagementErrors.UserExists();
        }

        if (request.SendsVerification && mail.CanSend)
        {
            // A full mail queue does not undo the user: the administrator can send it again (POST /jobs/verification-email).
            await mail.SendVerificationAsync(user, clientId: null, cancellationToken);
        }

        return TypedResults.Created($"users/{Uri.EscapeDataString(user.UserId)}", UserResponse.From(user));
    }

    /// <summary>
    /// Auth0 <c>DELETE /api/v2/users/{id}</c>: the user is signed out everywhere first (sessions end, refresh tokens and
    /// codes are revoked, so the next refresh is <c>invalid_grant</c>), then removed with their roles and direct
    /// permissions (cascade) and their brute-force blocks.
    /// </summary>
    private static async Task<Results<NoContent, ManagementProblem>> DeleteAsync(
        string id, LatchkeyDbContext db, SignOutEverywhere signOut, LoginThrottleService throttle, CancellationToken cancellationToken)
    {
        var user = await db.Set<User>().FirstOrDefaultAsync(u => u.UserId == id, cancellationToken);
        if (user is null)
        {
            return ManagementErrors.UserNotFound();
        }

        await signOut.RunAsync(user.UserId, cancellationToken);
        db.Remove(user);
        await db.SaveChangesAsync(cancellationToken);
        await throttle.UnblockAsync(user.NormalizedEmail, cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>Auth0 <c>GET /api/v2/users-by-email?email=</c>: an array (empty or one user: emails are unique here).</summary>
    private static async Task<Results<Ok<List<UserResponse>>, ManagementProblem>> ListByEmailAsync(
        HttpRequest request,
        [FromQuery(Name = "email")] string? email,
        [FromQuery(Name = "fields")] string? fields,
        [FromQuery(Name = "include_fields")] string? includeFields,
        LatchkeyDbContext db,
        CancellationToken cancellationToken)
    {
        var emailProblem = RequiredEmail(request, out var address);
        var fieldsProblem = ManagementQuery.Fields(request, out var selection);
        if ((emailProblem ?? fieldsProblem) is { } problem)
        {
            return problem;
        }

        var key = EmailAddress.Normalize(address);
        var users = await db.Set<User>().AsNoTracking().Where(u => u.NormalizedEmail == key).ToListAsync(cancellationToken);
        return TypedResults.Ok(users.Select(u => Shape(UserResponse.From(u), selection)).ToList());
    }

    /// <summary>Auth0 <c>GET /api/v2/user-blocks?identifier=</c>: the blocks of an identifier (here an email), user or not.</summary>
    private static async Task<Results<Ok<UserBlocksResponse>, ManagementProblem>> GetBlocksByIdentifierAsync(
        HttpRequest request, [FromQuery(Name = "identifier")] string? identifier, LoginThrottleService throttle, CancellationToken cancellationToken)
    {
        if (RequiredIdentifier(request, out var value) is { } problem)
        {
            return problem;
        }

        var blocks = await throttle.GetBlocksAsync(EmailAddress.Normalize(value), cancellationToken);
        return TypedResults.Ok(new UserBlocksResponse(blocks.Select(b => new UserBlockResponse(value, b.IpAddress)).ToList()));
    }

    /// <summary>Auth0 <c>DELETE /api/v2/user-blocks?identifier=</c>: lifts the blocks of an identifier (here an email).</summary>
    private static async Task<Results<NoContent, ManagementProblem>> DeleteBlocksByIdentifierAsync(
        HttpRequest request, [FromQuery(Name = "identifier")] string? identifier, LoginThrottleService throttle, CancellationToken cancellationToken)
    {
        if (RequiredIdentifier(request, out var value) is { } problem)
        {
            return problem;
        }

        await throttle.UnblockAsync(EmailAddress.Normalize(value), cancellationToken);
        return TypedResults.NoContent();
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
        TenantCache tenants,
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

        var passwords = (await tenants.GetAsync(cancellationToken)).Connection.PasswordRequirements;
        if (UserPatch.Apply(user, body, hasher, passwords, out var passwordChanged) is { } problem)
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

    /// <summary>Auth0's user search returns at most the first 1000 results of a query.</summary>
    private const int MaxSearchResults = 1000;

    /// <summary>A chosen <c>user_id</c> (the part after <c>latchkey|</c>): 1 to 64 printable ASCII characters, no <c>|</c>.</summary>
    private static string? UserIdRule(string id) =>
        id.Length is >= 1 and <= 64 && id.All(c => c is > ' ' and < '\x7f' and not '|')
            ? null
            : "must be 1 to 64 printable ASCII characters without spaces or |";

    private static ManagementProblem? RequiredEmail(HttpRequest request, out string email) => Required(request, "email", out email);

    private static ManagementProblem? RequiredIdentifier(HttpRequest request, out string identifier) => Required(request, "identifier", out identifier);

    private static ManagementProblem? Required(HttpRequest request, string name, out string value)
    {
        var problem = ManagementQuery.Text(request, name, out var text);
        value = text ?? string.Empty;
        return problem ?? (string.IsNullOrWhiteSpace(text) ? ManagementQuery.Invalid($"Missing required property: {name}", name) : null);
    }

    private static UserResponse Shape(UserResponse user, (IReadOnlySet<string> Fields, bool Include)? selection) =>
        selection is { } s ? user.Select(s.Fields, s.Include) : user;
}
