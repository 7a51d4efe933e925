using System.Text.Json.Nodes;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tenants;
using Latchkey.Server.Users.Import;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Latchkey.Server.Management.Jobs;

/// <summary>
/// Management API v2, jobs: <c>POST /api/v2/jobs/users-imports</c> (Auth0's bulk user import: the job is stored
/// <c>pending</c> and answered 202 at once, <see cref="UserImportWorker"/> runs it), <c>GET /api/v2/jobs/{id}</c> and
/// <c>GET /api/v2/jobs/{id}/errors</c> (the per-user errors, or the job itself when there are none, as Auth0 answers).
/// </summary>
internal static class JobsApi
{
    public static RouteGroupBuilder MapJobsApi(this RouteGroupBuilder api)
    {
        var jobs = api.MapGroup(string.Empty).WithTags("Jobs");

        jobs.MapPost("/jobs/users-imports", ImportAsync)
            .WithName("post_users_imports")
            .WithSummary("Create an import users job")
            .RequireManagementScope(ManagementScopes.CreateUsers)
            .ProducesManagementError(StatusCodes.Status404NotFound)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.RequestBody = UsersImportForm.OpenApiBody();
                return Task.CompletedTask;
            });

        jobs.MapGet("/jobs/{id}", GetAsync)
            .WithName("get_jobs_by_id")
            .WithSummary("Get a job")
            .RequireManagementScope(ManagementScopes.CreateUsers, ManagementScopes.ReadUsers)
            .ProducesManagementError(StatusCodes.Status404NotFound);

        jobs.MapGet("/jobs/{id}/errors", GetErrorsAsync)
            .WithName("get_errors")
            .WithSummary("Get a job's errors")
            .RequireManagementScope(ManagementScopes.CreateUsers, ManagementScopes.ReadUsers)
            .ProducesManagementError(StatusCodes.Status404NotFound);

        return api;
    }

    private static async Task<Results<Accepted<JobResponse>, ManagementProblem>> ImportAsync(
        UsersImportForm form, LatchkeyDbContext db, JobSignal signal, TimeProvider time, CancellationToken cancellationToken)
    {
        var connection = await db.Set<Connection>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == form.ConnectionId, cancellationToken);
        if (connection is null)
        {
            return ManagementErrors.ConnectionByIdNotFound();
        }

        var job = new Job
        {
            Id = Job.NewId(),
            Type = Job.UsersImport,
            CreatedAt = time.GetUtcNow(),
            ConnectionId = connection.Id,
            ExternalId = form.ExternalId,
            Upsert = form.Upsert,
            SendCompletionEmail = form.SendCompletionEmail,
            Payload = form.Users,
            Total = UserImporter.ParseFile(System.Text.Encoding.UTF8.GetBytes(form.Users), out _)!.Count,
        };
        db.Add(job);
        await db.SaveChangesAsync(cancellationToken);
        signal.Notify();
        return TypedResults.Accepted($"jobs/{job.Id}", JobResponse.From(job, connection.Name));
    }

    private static async Task<Results<Ok<JobResponse>, ManagementProblem>> GetAsync(string id, LatchkeyDbContext db, CancellationToken cancellationToken)
    {
        var (job, connection) = await FindAsync(id, db, cancellationToken);
        return job is null ? ManagementErrors.JobNotFound() : TypedResults.Ok(JobResponse.From(job, connection));
    }

    private static async Task<Results<Ok<JsonArray>, Ok<JobResponse>, ManagementProblem>> GetErrorsAsync(
        string id, LatchkeyDbContext db, CancellationToken cancellationToken)
    {
        var (job, connection) = await FindAsync(id, db, cancellationToken);
        if (job is null)
        {
            return ManagementErrors.JobNotFound();
        }

        return JsonNode.Parse(job.Errors) is JsonArray { Count: > 0 } errors
            ? TypedResults.Ok(errors)
            : TypedResults.Ok(JobResponse.From(job, connection));
    }

    private static async Task<(Job? Job, string? Connection)> FindAsync(string id, LatchkeyDbContext db, CancellationToken cancellationToken)
    {
        var job = await db.Set<Job>().AsNoTracking().FirstOrDefaultAsync(j => j.Id == id, cancellationToken);
        var connection = job?.ConnectionId is { } connectionId
            ? await db.Set<Connection>().AsNoTracking().Where(c => c.Id == connectionId).Select(c => c.Name).FirstOrDefaultAsync(cancellationToken)
            : null;
        return (job, connection);
    }
}
