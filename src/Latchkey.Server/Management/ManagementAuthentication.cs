using Latchkey.Server.Hosting;
using Latchkey.Server.Tenants;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace Latchkey.Server.Management;

/// <summary>
/// Bearer authentication for <c>/api/v2/…</c>, a scheme of its own (never the session cookie): RS256/PS256 JWT access
/// tokens of type <c>at+jwt</c>, issued by this server (its current signing keys, read from OpenIddict's options so
/// rotated keys verify), for the audience <c>&lt;issuer&gt;api/v2/</c>.
/// </summary>
internal static class ManagementAuthentication
{
    public const string Scheme = "Latchkey.ManagementApi";

    public static IServiceCollection AddManagementAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication().AddJwtBearer(Scheme, bearer =>
        {
            bearer.MapInboundClaims = false;
            bearer.RequireHttpsMetadata = false;
        });

        services.AddOptions<JwtBearerOptions>(Scheme)
            .Configure<IOptions<LatchkeyOptions>, IOptionsMonitor<OpenIddictServerOptions>>((bearer, latchkey, server) =>
            {
                var issuer = latchkey.Value.Issuer!;
                bearer.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = issuer.AbsoluteUri,
                    ValidAudience = ManagementApiDefinition.IdentifierFor(issuer),
                    ValidTypes = ["at+jwt"],
                    ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSsaPssSha256],
                    IssuerSigningKeyResolver = (_, _, _, _) => server.CurrentValue.SigningCredentials.Select(c => c.Key),
                    RequireExpirationTime = true,
                    RequireSignedTokens = true,
                    ClockSkew = TimeSpan.FromSeconds(30),
                    NameClaimType = "sub",
                };
            });

        return services;
    }

    /// <summary>
    /// Authenticates the request's bearer token. Returns the caller, or the Auth0-shaped error to send:
    /// no header → 401 "Missing authentication"; not <c>Bearer &lt;token&gt;</c> → 400; a bad token → 401 "Invalid token".
    /// </summary>
    public static async Task<(ManagementCaller? Caller, IResult? Error)> AuthenticateAsync(HttpContext http)
    {
        var header = http.Request.Headers.Authorization;
        if (header.Count == 0 || string.IsNullOrEmpty(header[0]))
        {
            return (null, ManagementErrors.MissingAuthentication());
        }

        var value = header[0]!;
        if (header.Count > 1 || !value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || value.Length <= 7 || value.AsSpan(7).Trim().Contains(' '))
        {
            return (null, ManagementErrors.BadAuthorizationHeader());
        }

        var result = await http.AuthenticateAsync(Scheme);
        if (!result.Succeeded || result.Principal.FindFirst("sub")?.Value is not { Length: > 0 } subject)
        {
            return (null, ManagementErrors.InvalidToken());
        }

        var scopes = result.Principal.FindAll("scope")
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToHashSet(StringComparer.Ordinal);
        return (new ManagementCaller(subject, scopes), null);
    }
}
