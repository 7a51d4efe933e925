namespace Latchkey.Server.Management.Jobs;

/// <summary>Auth0's job statuses.</summary>
public static class JobStatus
{
    public const string Pending = "pending";
    public const string Processing = "processing";
    public const string Completed = "completed";
    public const string Failed = "failed";
}
