using System.Security.Cryptography;
using Latchkey.Server.Accounts;
using Latchkey.Server.Email;
using Latchkey.Server.Management.Tickets;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tenants;
using Latchkey.Server.Users;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Latchkey.Server.Management.Jobs;

/// <summary>
/// Auth0's <c>POST /api/v2/jobs/verification-email</c> (scope <c>update:users</c>): queues the verification mail and
/// answers Auth0's job object with status <c>pending</c> (the mail leaves off the request path).
/// </summary>
internal static class VerificationEmailJobApi
{
    public static RouteGroupBuilder MapVerificationEmailJobApi(this RouteGroupBuilder api)
    {
        api.MapGroup(string.Empty).WithTags("Jobs")
            .MapPost("/jobs/verification-email", SendAsync)
            .WithName("post_verification_email")
            .WithSummary("Send a verification email to a user")
            .RequireManagementScope(ManagementScopes.UpdateUsers)
            .ProducesManagementError(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<Results<Created<VerificationEmailJobResponse>, ManagementProblem>> SendAsync(
        ManagementBody<VerificationEmailJobRequest> body,
        LatchkeyDbContext db,
        AccountMail mail,
        TenantCache tenants,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var request = body.Value;
        if ((TicketsApi.CheckIdentity(request.Identity) ?? await TicketsApi.CheckClientAsync(request.ClientId, tenants, cancellationToken)) is { } problem)
        {
            return problem;
        }

        var user = await db.Set<User>().AsNoTracking().FirstOrDefaultAsync(u => u.UserId == request.UserId, cancellationToken);
        if (user is null)
        {
            return ManagementErrors.UserNotFound();
        }

        if (!mail.CanSend || !await mail.SendVerificationAsync(user, request.ClientId, cancellationToken))
        {
            return ManagementErrors.MailUnavailable(mail.CanSend ? "The mail queue is full; try again later." : MailQueue.NotConfigured);
        }

        // The lead wires this to the jobs store (Management/Jobs/JobsApi, GET /api/v2/jobs/{id}) on merge; until then the id is not stored.
        var id = "job_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        return TypedResults.Created((string?)null, new VerificationEmailJobResponse("verification_email", "pending", UserProfile.Timestamp(time.GetUtcNow()), id));
    }
}
