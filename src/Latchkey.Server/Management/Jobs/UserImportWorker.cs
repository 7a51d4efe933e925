using System.Text.Json;
using System.Text.Json.Nodes;
using Latchkey.Server.Persistence;
using Latchkey.Server.Users.Import;
using Microsoft.EntityFrameworkCore;

namespace Latchkey.Server.Management.Jobs;

/// <summary>
/// Runs users import jobs off the request path. Every node runs one; a job is claimed with a conditional update, so one
/// node runs it. A job is resumed from its last saved batch (<see cref="Job.Processed"/>) when it is still
/// <c>pending</c> at start-up, or <c>processing</c> without progress for <see cref="Lease"/> (its node stopped).
/// </summary>
internal sealed partial class UserImportWorker(IServiceScopeFactory scopes, JobSignal signal, TimeProvider time, ILogger<UserImportWorker> logger)
    : BackgroundService
{
    /// <summary>How often a node looks for jobs created on other nodes (jobs created here start at once).</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);

    /// <summary>A <c>processing</c> job whose progress is older than this is taken over (a batch takes about a second).</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await RunNextAsync(stoppingToken))
                {
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The database was unreachable or similar: the job stays claimed and is taken over after the lease.
                LogWorkerFailed(logger, ex);
            }

            try
            {
                await signal.WaitAsync(PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Claims and runs the oldest job with work left; false when there is none.</summary>
    internal async Task<bool> RunNextAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();
        var now = time.GetUtcNow();
        var stale = now - Lease;
        var candidates = await db.Set<Job>().AsNoTracking()
            .Where(j => j.Type == Job.UsersImport && (j.Status == JobStatus.Pending || j.Status == JobStatus.Processing))
            .Select(j => new { j.Id, j.Status, j.ClaimedAt, j.CreatedAt })
            .ToListAsync(cancellationToken);
        var next = candidates
            .Where(j => j.Status == JobStatus.Pending || j.ClaimedAt is null || j.ClaimedAt < stale)
            .OrderBy(j => j.CreatedAt)
            .FirstOrDefault();
        if (next is null)
        {
            return false;
        }

        // Whoever changes the row first owns the job; the others see 0 rows and look again.
        var claimed = await db.Set<Job>()
            .Where(j => j.Id == next.Id && j.Status == next.Status && j.ClaimedAt == next.ClaimedAt)
            .ExecuteUpdateAsync(j => j.SetProperty(x => x.Status, JobStatus.Processing).SetProperty(x => x.ClaimedAt, now), cancellationToken);
        if (claimed == 1)
        {
            await RunAsync(scope.ServiceProvider, next.Id, cancellationToken);
        }

        return true;
    }

    private async Task RunAsync(IServiceProvider services, string id, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<LatchkeyDbContext>();
        var job = await db.Set<Job>().AsNoTracking().FirstAsync(j => j.Id == id, cancellationToken);
        var users = job.Payload is { } payload ? UserImporter.ParseFile(System.Text.Encoding.UTF8.GetBytes(payload), out _) : null;
        if (users is null)
        {
            // The endpoint checked the file, so this is a row changed by hand: end the job rather than retry it forever.
            await db.Set<Job>().Where(j => j.Id == id)
                .ExecuteUpdateAsync(j => j.SetProperty(x => x.Status, JobStatus.Failed).SetProperty(x => x.Payload, (string?)null), cancellationToken);
            return;
        }

        var importer = services.GetRequiredService<UserImporter>();
        await importer.ImportAsync(users, job.Upsert, job.Processed, async (progress, ct) =>
        {
            // Saved with the batch (one transaction): a restart resumes after the last batch written.
            var tracked = await db.Set<Job>().FirstAsync(j => j.Id == id, ct);
            tracked.Processed = progress.Processed;
            tracked.Inserted += progress.Summary.Inserted;
            tracked.Updated += progress.Summary.Updated;
            tracked.Failed += progress.Summary.Failed;
            tracked.ClaimedAt = time.GetUtcNow();
            if (progress.Errors.Count > 0)
            {
                var errors = JsonNode.Parse(tracked.Errors) as JsonArray ?? [];
                foreach (var error in progress.Errors)
                {
                    errors.Add(JsonSerializer.SerializeToNode(error, ManagementJson.Options));
                }

                tracked.Errors = errors.ToJsonString();
            }

            if (progress.Processed >= users.Count)
            {
                tracked.Status = JobStatus.Completed;
                tracked.Payload = null;
            }
        }, cancellationToken);

        // An empty file has no batch to carry the completion.
        await db.Set<Job>().Where(j => j.Id == id && j.Status == JobStatus.Processing && j.Processed >= users.Count)
            .ExecuteUpdateAsync(j => j.SetProperty(x => x.Status, JobStatus.Completed).SetProperty(x => x.Payload, (string?)null), cancellationToken);
        LogJobDone(logger, id);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A users import job failed; it will be resumed after its lease.")]
    private static partial void LogWorkerFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Users import job {JobId} ended.")]
    private static partial void LogJobDone(ILogger logger, string jobId);
}
