using Latchkey.Server.Hosting;
using Latchkey.Server.Tenants;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace Latchkey.Server.Management;

/// <summary>
/// Bearer authentication for <c>/api/v2/…</c>, a scheme of its own (never the session cookie): ASP.NET Core's JwtBearer
/// handler validating RS256/PS256 JWT access tokens of type <c>at+jwt</c>, issued by this server (its current signing
/// keys, read from OpenIddict's options so rotated keys verify), for the audience <c>&lt;issuer&gt;api/v2/</c>.
/// Its events give Auth0's answers (docs/reference/auth0-wire.md R15.4): no header → 401 "Missing authentication"; not
/// <c>Bearer &lt;token&gt;</c> → 400 "Bad HTTP authentication header format"; a token that does not validate →
/// 401 "Invalid token".
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
            bearer.Events = new JwtBearerEvents
            {
                OnMessageReceived = ReadAuthorizationHeader,
                OnTokenValidated = RequireSubject,
                OnChallenge = WriteChallenge,
            };
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
    /// RFC 6750 §2.1 <c>Bearer &lt;token&gt;</c>, exactly one header, one token. Anything else is Auth0's 400, which the
    /// handler's own parsing would treat as "no token".
    /// </summary>
    private static Task ReadAuthorizationHeader(MessageReceivedContext context)
    {
        var header = context.Request.Headers.Authorization;
        if (header.Count == 0 || string.IsNullOrEmpty(header[0]))
        {
            context.NoResult();
            return Task.CompletedTask;
        }

        var value = header[0]!;
        var token = value.Length > 7 ? value.AsSpan(7).Trim() : default;
        if (header.Count > 1 || !value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || token.IsEmpty || token.Contains(' '))
        {
            context.Fail(new MalformedAuthorizationHeaderException());
            return Task.CompletedTask;
        }

        context.Token = token.ToString();
        return Task.CompletedTask;
    }

    private static Task RequireSubject(TokenValidatedContext context)
    {
        if (context.Principal?.FindFirst("sub")?.Value is not { Length: > 0 })
        {
            context.Fail("The token has no subject.");
        }

        return Task.CompletedTask;
    }

    private static Task WriteChallenge(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var problem = context.AuthenticateFailure switch
        {
            null => ManagementErrors.MissingAuthentication(),
            MalformedAuthorizationHeaderException => ManagementErrors.BadAuthorizationHeader(),
            _ => ManagementErrors.InvalidToken(),
        };
        return problem.ExecuteAsync(context.HttpContext);
    }

    private sealed class MalformedAuthorizationHeaderException() : Exception("The Authorization header is not 'Bearer <token>'.");
}
