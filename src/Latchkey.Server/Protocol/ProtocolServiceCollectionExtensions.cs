using Latchkey.Server.Hosting;
using Latchkey.Server.Persistence;
using Latchkey.Server.Protocol.Browser;
using Microsoft.Extensions.Options;
using OpenIddict.Server;

namespace Latchkey.Server.Protocol;

/// <summary>
/// Registers the OpenIddict server with Auth0's endpoint paths and the Auth0-dialect handlers.
/// The engine is OpenIddict; what lives in this folder is the dialect on top of it.
/// </summary>
internal static class ProtocolServiceCollectionExtensions
{
    public static IServiceCollection AddLatchkeyProtocol(this IServiceCollection services)
    {
        services.AddSingleton<UserPrincipalFactory>();

        services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<LatchkeyDbContext>())
            .AddServer(server =>
            {
                // Auth0's paths at the issuer's root (auth0-wire.md §endpoints).
                server.SetAuthorizationEndpointUris(ProtocolPaths.Authorize)
                    .SetTokenEndpointUris(ProtocolPaths.Token)
                    .SetUserInfoEndpointUris(ProtocolPaths.UserInfo)
                    .SetRevocationEndpointUris(ProtocolPaths.Revoke)
                    .SetConfigurationEndpointUris(ProtocolPaths.Configuration)
                    .SetJsonWebKeySetEndpointUris(ProtocolPaths.JsonWebKeySet)
                    .SetEndSessionEndpointUris(ProtocolPaths.Auth0Logout, ProtocolPaths.OidcLogout);

                server.AllowAuthorizationCodeFlow()
                    .AllowRefreshTokenFlow()
                    .AllowClientCredentialsFlow()
                    .AllowImplicitFlow();

                // Access tokens are plain RS256 JWTs that any API can validate with the JWKS (RFC 9068).
                server.DisableAccessTokenEncryption();

                // Temporary keys for the skeleton; replaced by persisted keys (Protocol/Keys).
                server.AddEphemeralEncryptionKey().AddEphemeralSigningKey();

                server.UseAspNetCore()
                    .DisableTransportSecurityRequirement()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough();

                server.AddLatchkeyBrowserDialect();
            });

        services.AddOptions<OpenIddictServerOptions>()
            .Configure<IOptions<LatchkeyOptions>>((server, latchkey) => server.Issuer = latchkey.Value.Issuer);

        return services;
    }

    public static WebApplication MapLatchkeyProtocol(this WebApplication app)
    {
        app.MapLatchkeyBrowserDialect();
        return app;
    }
}
