using System.Text.Json.Serialization;
using Latchkey.Server.Users.Import;

namespace Latchkey.Server.Management.Jobs;

/// <summary>
/// Auth0's job object (<c>GET /api/v2/jobs/{id}</c>): a users import also shows <c>connection_id</c>,
/// <c>connection</c>, <c>upsert</c> and <c>external_id</c>; <c>percentage_done</c> while it runs; its <c>summary</c> once it ends.
/// </summary>
internal sealed record JobResponse(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("created_at")] string CreatedAt,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("connection_id")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ConnectionId,
    [property: JsonPropertyName("connection")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Connection,
    [property: JsonPropertyName("upsert")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Upsert,
    [property: JsonPropertyName("external_id")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ExternalId,
    [property: JsonPropertyName("percentage_done")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? PercentageDone,
    [property: JsonPropertyName("summary")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] UserImportSummary? Summary)
{
    public static JobResponse From(Job job, string? connectionName)
    {
        ArgumentNullException.ThrowIfNull(job);
        var import = job.Type == Job.UsersImport;
        var ended = job.Status is JobStatus.Completed or JobStatus.Failed;
        return new JobResponse(
            job.Status,
            job.Type,
            Latchkey.Server.Users.UserProfile.Timestamp(job.CreatedAt),
            job.Id,
            job.ConnectionId,
            connectionName,
            import ? job.Upsert : null,
            job.ExternalId,
            job.Status == JobStatus.Processing && job.Total > 0 ? (int)(100L * job.Processed / job.Total) : null,
            import && ended ? new UserImportSummary(job.Failed, job.Updated, job.Inserted, job.Total) : null);
    }
}
