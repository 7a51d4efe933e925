namespace Latchkey.Server.Hosting;

/// <summary>
/// <c>Latchkey:RateLimits</c>: request-rate limits of the authentication surfaces, per node and in memory (the
/// Management API's are <see cref="ManagementOptions"/>). The defaults sit well above what a real tenant sends (Auth0
/// allows a whole production tenant 100 requests per second on its Authentication API, 50 sign-ups per minute per
/// address); they stop a runaway client or one address flooding the password check. Beyond a limit: 429 with
/// <c>Retry-After</c>, in the endpoint's own error shape.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>
    /// <c>/oauth/token</c> per Application (an authenticated confidential Application), or per Application and client
    /// address (a public Application, whose <c>client_id</c> anyone may send).
    /// </summary>
    public RateLimit Token { get; set; } = new() { PerMinute = 6000, Burst = 300 };

    /// <summary>The login pages' forms (<c>POST /login</c>, <c>/signup</c>, <c>/forgot-password</c>, <c>/u/reset-password</c>) per client address.</summary>
    public RateLimit LoginPages { get; set; } = new() { PerMinute = 120, Burst = 30 };

    /// <summary><c>POST /dbconnections/signup</c> and <c>/dbconnections/change_password</c> per client address.</summary>
    public RateLimit DbConnections { get; set; } = new() { PerMinute = 60, Burst = 30 };
}
