using Latchkey.Server.Hosting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Operations;

/// <summary>
/// Request-rate limits (<c>Latchkey:RateLimits</c>, docs/configuration.md). Routed endpoints use ASP.NET Core rate
/// limiting: a feature registers an address policy with its own error shape (<see cref="AddAddressRateLimit"/>) and
/// marks its endpoints with <c>RequireRateLimiting(name)</c>. Two surfaces keep their own limiter on the same bucket
/// rule (<see cref="RateLimit"/>) because the partition key is only known later in the request: <c>/oauth/token</c>
/// (per Application; OpenIddict answers it inside the authentication middleware, before any endpoint runs:
/// <c>Protocol/Clients/TokenRequestRateLimiter</c>) and <c>/api/v2</c> (per authenticated caller, with Auth0's
/// <c>x-ratelimit-*</c> headers on every answer: <c>Management/ManagementRateLimiter</c>).
/// </summary>
internal static class RateLimitServiceCollectionExtensions
{
    /// <summary>The login pages' forms, per client address (<see cref="RateLimitOptions.LoginPages"/>).</summary>
    public const string LoginPagesPolicy = "login-pages";

    /// <summary>Auth0's <c>/dbconnections/*</c>, per client address (<see cref="RateLimitOptions.DbConnections"/>).</summary>
    public const string DbConnectionsPolicy = "dbconnections";

    public static IServiceCollection AddLatchkeyRateLimits(this IServiceCollection services) =>
        services.AddRateLimiter(options => options.RejectionStatusCode = StatusCodes.Status429TooManyRequests);

    /// <summary>Registers <paramref name="policyName"/>: <paramref name="select"/>'s limit per client address; <paramref name="reject"/> writes the 429's body.</summary>
    public static IServiceCollection AddAddressRateLimit(this IServiceCollection services, string policyName, Func<RateLimitOptions, RateLimit> select, Func<HttpContext, Task> reject)
    {
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<LatchkeyOptions>>((options, latchkey) =>
            options.AddPolicy(policyName, new AddressRateLimitPolicy(select(latchkey.Value.RateLimits), reject)));
        return services;
    }
}
