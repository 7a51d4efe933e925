namespace Latchkey.Server.Hosting;

/// <summary><c>Latchkey:Management</c>: limits of the Management API (<c>/api/v2</c>).</summary>
public sealed class ManagementOptions
{
    /// <summary>
    /// Requests per minute one caller (one token subject: an application, or a user of a current-user token) may make
    /// on average, per node; 0 turns the limit off. Beyond it the API answers 429 with <c>Retry-After</c>.
    /// </summary>
    public int RateLimitPerMinute { get; set; } = 3000;

    /// <summary>Requests one caller may make at once before the per-minute rate applies.</summary>
    public int RateLimitBurst { get; set; } = 100;
}
