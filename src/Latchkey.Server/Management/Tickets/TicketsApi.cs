using Latchkey.Server.Accounts;
using Latchkey.Server.Hosting;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tenants;
using Latchkey.Server.Users;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Management.Tickets;

/// <summary>
/// Management API v2, tickets: <c>POST /api/v2/tickets/email-verification</c> and
/// <c>POST /api/v2/tickets/password-change</c> (scope <c>create:user_tickets</c>). A ticket is the link itself, for the
/// caller to deliver (nothing is mailed); it is the same single-use, expiring, hashed link as the mails carry
/// (<c>Accounts/AccountTickets</c>).
/// </summary>
internal static class TicketsApi
{
    /// <summary>Auth0's longest ticket.</summary>
    private const int MaxTtlSeconds = 30 * 24 * 3600;

    public static RouteGroupBuilder MapTicketsApi(this RouteGroupBuilder api)
    {
        var tickets = api.MapGroup(string.Empty).WithTags("Tickets");

        tickets.MapPost("/tickets/email-verification", EmailVerificationAsync)
            .WithName("post_email_verification")
            .WithSummary("Create an email verification ticket (a link that sets email_verified)")
            .RequireManagementScope(ManagementScopes.CreateUserTickets)
            .ProducesManagementError(StatusCodes.Status404NotFound);

        tickets.MapPost("/tickets/password-change", PasswordChangeAsync)
            .WithName("post_password_change")
            .WithSummary("Create a password change ticket (a link to a page that sets a new password)")
            .RequireManagementScope(ManagementScopes.CreateUserTickets)
            .ProducesManagementError(StatusCodes.Status404NotFound);

        return api;
    }

    private static async Task<Results<Created<TicketResponse>, ManagementProblem>> EmailVerificationAsync(
        ManagementBody<EmailVerificationTicketRequest> body,
        LatchkeyDbContext db,
        AccountTickets tickets,
        TenantCache tenants,
        IOptions<LatchkeyOptions> options,
        CancellationToken cancellationToken)
    {
        var request = body.Value;
        if ((CheckIdentity(request.Identity) ?? await CheckAsync(request.TtlSec, request.ResultUrl, request.ClientId, tenants, cancellationToken)) is { } problem)
        {
            return problem;
        }

        var user = await db.Set<User>().AsNoTracking().FirstOrDefaultAsync(u => u.UserId == request.UserId, cancellationToken);
        if (user is null)
        {
            return ManagementErrors.UserNotFound();
        }

        var lifetime = request.TtlSec > 0 ? TimeSpan.FromSeconds(request.TtlSec) : options.Value.Email.VerificationLinkLifetime;
        var link = await tickets.IssueAsync(AccountTicketPurposes.VerifyEmail, user.UserId, lifetime, new TicketOptions(request.ClientId, request.ResultUrl, request.IncludeEmailInRedirect), cancellationToken);
        return TypedResults.Created((string?)null, new TicketResponse(link));
    }

    private static async Task<Results<Created<TicketResponse>, ManagementProblem>> PasswordChangeAsync(
        ManagementBody<PasswordChangeTicketRequest> body,
        LatchkeyDbContext db,
        AccountTickets tickets,
        TenantCache tenants,
        IOptions<LatchkeyOptions> options,
        CancellationToken cancellationToken)
    {
        var request = body.Value;
        if (await CheckAsync(request.TtlSec, request.ResultUrl, request.ClientId, tenants, cancellationToken) is { } problem)
        {
            return problem;
        }

        // Auth0: the user by id, or by email within the connection named by connection_id.
        User? user;
        if (request.UserId is { } userId)
        {
            user = await db.Set<User>().AsNoTracking().FirstOrDefaultAsync(u => u.UserId == userId, cancellationToken);
        }
        else if (request.Email is { } email && request.ConnectionId is { } connectionId)
        {
            if (connectionId != (await tenants.GetAsync(cancellationToken)).Connection.Id)
            {
                return ManagementErrors.ConnectionNotFound();
            }

            var normalized = EmailAddress.TryNormalize(email, out _, out var key, out _) ? key : null;
            user = normalized is null ? null : await db.Set<User>().AsNoTracking().FirstOrDefaultAsync(u => u.NormalizedEmail == normalized, cancellationToken);
        }
        else
        {
            return ManagementErrors.InvalidBody("Payload validation error: one of user_id, or email with connection_id, is required.");
        }

        if (user is null)
        {
            return ManagementErrors.UserNotFound();
        }

        var lifetime = request.TtlSec > 0 ? TimeSpan.FromSeconds(request.TtlSec) : options.Value.Email.PasswordResetLinkLifetime;
        var link = await tickets.IssueAsync(
            AccountTicketPurposes.ResetPassword,
            user.UserId,
            lifetime,
            new TicketOptions(request.ClientId, request.ResultUrl, request.IncludeEmailInRedirect, request.MarkEmailAsVerified),
            cancellationToken);
        return TypedResults.Created((string?)null, new TicketResponse(link));
    }

    /// <summary>Auth0's <c>identity</c>: only the database connection's (<c>provider</c> <c>auth0</c>) exists here.</summary>
    internal static ManagementProblem? CheckIdentity(TicketIdentity? identity) =>
        identity is not null && identity.Provider != Connection.DatabaseStrategy
            ? ManagementErrors.InvalidBody("identity.provider must be auth0: the database connection is the only one.")
            : null;

    /// <summary>A <c>client_id</c> in a ticket or job body must be one of the tenant's Applications.</summary>
    internal static async Task<ManagementProblem?> CheckClientAsync(string? clientId, TenantCache tenants, CancellationToken cancellationToken) =>
        clientId is not null && !(await tenants.GetAsync(cancellationToken)).Applications.ContainsKey(clientId)
            ? ManagementErrors.InvalidBody("Payload validation error: client_id is not an Application of this tenant.")
            : null;

    private static async Task<ManagementProblem?> CheckAsync(int ttlSec, string? resultUrl, string? clientId, TenantCache tenants, CancellationToken cancellationToken)
    {
        if (ttlSec is < 0 or > MaxTtlSeconds)
        {
            return ManagementErrors.InvalidBody($"Payload validation error: ttl_sec must be between 0 and {MaxTtlSeconds}.");
        }

        if (resultUrl is not null && (resultUrl.Length > 2048 || !Uri.TryCreate(resultUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")))
        {
            return ManagementErrors.InvalidBody("Payload validation error: result_url must be an absolute http(s) URL.");
        }

        return await CheckClientAsync(clientId, tenants, cancellationToken);
    }
}
