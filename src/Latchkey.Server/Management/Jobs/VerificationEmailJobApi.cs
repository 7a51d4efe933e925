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
/// answers Auth0's job object with status <c>pending</c> (the mail leaves off the request path). The job is stored
/// with the user imports (<see cref="Job"/>), <c>completed</c> once the mail is queued, so <c>GET /jobs/{id}</c> finds it.
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

        var job = new Job { Id = Job.NewId(), Type = Job.VerificationEmail, Status = JobStatus.Completed, CreatedAt = time.GetUtcNow() };
        db.Add(job);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"jobs/{job.Id}", new VerificationEmailJobResponse(job.Type, JobStatus.Pending, UserProfile.Timestamp(job.CreatedAt), job.Id));
    }
}
