using System.ComponentModel.DataAnnotations;

namespace Latchkey.Server.Management;

/// <summary>Settings of the Management API, bound from <c>Latchkey:Management</c> and validated at start.</summary>
public sealed class ManagementOptions
{
    public const string Section = "Latchkey:Management";

    /// <summary>
    /// Requests per minute one caller (one token subject: an application, or a user of a current-user token) may make
    /// on average; 0 turns the limit off. Beyond it the API answers 429 with <c>Retry-After</c>.
    /// </summary>
    [Range(0, 1_000_000, ErrorMessage = "Latchkey:Management:RateLimitPerMinute must be between 0 (off) and 1000000.")]
    public int RateLimitPerMinute { get; set; } = 3000;

    /// <summary>Requests one caller may make at once before the per-minute rate applies.</summary>
    [Range(1, 100_000, ErrorMessage = "Latchkey:Management:RateLimitBurst must be between 1 and 100000.")]
    public int RateLimitBurst { get; set; } = 100;
}
