using System.Security.Cryptography;

namespace Latchkey.Server.Management.Jobs;

/// <summary>
/// A long-running Management API job (Auth0's <c>/api/v2/jobs</c>), kept in the database so that any node answers
/// <c>GET /api/v2/jobs/{id}</c> and a job survives a restart: a <c>users_import</c> job keeps its file in
/// <see cref="Payload"/> until it ends and its progress in <see cref="Processed"/>, written in the same transaction as
/// each batch of users (<see cref="UserImportWorker"/>), so a job resumes where it stopped.
/// </summary>
public sealed class Job
{
    public const string UsersImport = "users_import";

    /// <summary><c>POST /jobs/verification-email</c>: done once the mail is queued (<c>VerificationEmailJobApi</c>).</summary>
    public const string VerificationEmail = "verification_email";

    public required string Id { get; set; }

    /// <summary>Auth0's job type: <c>users_import</c> (this store also fits <c>verification_email</c>).</summary>
    public required string Type { get; set; }

    /// <summary><see cref="JobStatus"/>: <c>pending</c>, <c>processing</c>, <c>completed</c> or <c>failed</c>.</summary>
    public string Status { get; set; } = JobStatus.Pending;

    public DateTimeOffset CreatedAt { get; set; }

    public string? ConnectionId { get; set; }

    /// <summary>Auth0's customer-defined <c>external_id</c>.</summary>
    public string? ExternalId { get; set; }

    public bool Upsert { get; set; }

    public bool SendCompletionEmail { get; set; }

    /// <summary>The users file (UTF-8 JSON, at most 500 KB) while the job has work left; null once it ends.</summary>
    public string? Payload { get; set; }

    /// <summary>How many entries of the file are done: the index a resumed job starts from.</summary>
    public int Processed { get; set; }

    public int Inserted { get; set; }

    public int Updated { get; set; }

    public int Failed { get; set; }

    public int Total { get; set; }

    /// <summary>The per-user errors, a JSON array of Auth0's <c>{user, errors: [{code, message, path}]}</c>.</summary>
    public string Errors { get; set; } = "[]";

    /// <summary>When a worker last claimed or advanced the job; a <c>processing</c> job not advanced for a while is taken over.</summary>
    public DateTimeOffset? ClaimedAt { get; set; }

    /// <summary>Auth0's job id form, <c>job_</c> and 16 letters or digits.</summary>
    public static string NewId() =>
        "job_" + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 16);
}
