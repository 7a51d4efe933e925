namespace Latchkey.Server.Hosting;

/// <summary><c>Latchkey:Management</c>: limits of the Management API (<c>/api/v2</c>).</summary>
public sealed class ManagementOptions
{
    /// <summary>Largest request body the Management API reads; larger ones are refused with 413.</summary>
    public int MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Largest <c>user_metadata</c> or <c>app_metadata</c> a user may hold (it travels in every user read).</summary>
    public int MaxMetadataBytes { get; set; } = 16 * 1024;
}
