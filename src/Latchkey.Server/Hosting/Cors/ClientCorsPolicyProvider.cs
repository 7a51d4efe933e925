using Microsoft.AspNetCore.Cors.Infrastructure;

namespace Latchkey.Server.Hosting.Cors;

/// <summary>
/// CORS for the endpoints browsers call with <c>fetch</c>: <c>/oauth/token</c>, <c>/oauth/revoke</c>, <c>/userinfo</c>
/// and the Management API (<c>/api/v2/…</c>, or any endpoint that asks for <see cref="PolicyName"/>) allow the origins
/// registered on Applications (<see cref="ClientOrigins"/>); the discovery document and JWKS are public and allow any
/// origin (auth0-js fetches the JWKS from the browser). Everything else, <c>/authorize</c> above all, gets no CORS at
/// all: RFC 9700 §2.6 forbids CORS at the authorization endpoint.
/// The allowed headers include <c>Auth0-Client</c>, which every Auth0 SDK sends (so every token call is preflighted).
/// No credentials: the SDKs never send cookies with these calls.
/// </summary>
internal sealed class ClientCorsPolicyProvider(ClientOrigins origins) : ICorsPolicyProvider
{
    /// <summary>The named policy for endpoints (e.g. the Management API) that opt in with <c>RequireCors</c>.</summary>
    public const string PolicyName = "Latchkey.Clients";

    private static readonly string[] ClientPaths = ["/oauth/token", "/oauth/revoke", "/userinfo"];

    private static readonly CorsPolicy PublicPolicy = new CorsPolicyBuilder()
        .AllowAnyOrigin()
        .WithMethods("GET", "OPTIONS")
        .WithHeaders("Content-Type", "Auth0-Client")
        .SetPreflightMaxAge(TimeSpan.FromHours(1))
        .Build();

    public async Task<CorsPolicy?> GetPolicyAsync(HttpContext context, string? policyName)
    {
        ArgumentNullException.ThrowIfNull(context);

        var path = context.Request.Path;
        if (policyName is null && path.StartsWithSegments("/.well-known"))
        {
            return PublicPolicy;
        }

        var forClients = string.Equals(policyName, PolicyName, StringComparison.Ordinal)
            || (policyName is null && (ClientPaths.Any(p => path.Equals(p, StringComparison.OrdinalIgnoreCase)) || path.StartsWithSegments("/api/v2")));
        if (!forClients)
        {
            return null;
        }

        // An absent or unknown Origin gets a policy that allows nothing, so the middleware adds no CORS headers.
        var origin = context.Request.Headers.Origin.ToString();
        var allowed = !string.IsNullOrEmpty(origin) && await origins.IsCorsOriginAllowedAsync(origin, context.RequestAborted);

        var builder = new CorsPolicyBuilder()
            .WithMethods("GET", "POST", "PATCH", "DELETE", "OPTIONS")
            .WithHeaders("Authorization", "Content-Type", "Auth0-Client")
            .WithExposedHeaders("WWW-Authenticate")
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10));
        if (allowed)
        {
            builder.WithOrigins(origin);
        }

        return builder.Build();
    }
}
