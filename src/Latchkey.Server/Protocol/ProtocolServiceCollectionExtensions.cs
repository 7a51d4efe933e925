using Latchkey.Server.Hosting;
using Latchkey.Server.Persistence;
using Latchkey.Server.Protocol.Authorize;
using Latchkey.Server.Protocol.Clients;
using Latchkey.Server.Protocol.Dispatch;
using Latchkey.Server.Protocol.Keys;
using Latchkey.Server.Protocol.Logout;
using Latchkey.Server.Protocol.Token;
using Latchkey.Server.Protocol.UserTokens;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenIddict.Core;
using OpenIddict.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Latchkey.Server.Protocol;

/// <summary>
/// Registers the OpenIddict server with Auth0's endpoint paths and the Auth0-dialect handlers
/// (<see cref="ProtocolPipeline"/>), and maps the two passthrough actions (<c>/authorize</c>, the logouts).
/// The engine is OpenIddict; what lives in this folder is the dialect on top of it, one handler per rule.
/// </summary>
internal static class ProtocolServiceCollectionExtensions
{
    public static IServiceCollection AddLatchkeyProtocol(this IServiceCollection services)
    {
        services.AddSingleton<UserTokenPrincipal>();
        services.AddSingleton<ClientDirectory>();
        services.AddSingleton<ClientAuthenticationThrottle>();
        services.AddSingleton<TokenRequestRateLimiter>();
        services.AddSingleton<ReauthenticationMarker>();
        services.AddScoped<AuthorizeEndpoint>();
        services.AddScoped<LogoutEndpoint>();
        services.AddSingleton<ProtocolKeyRing>();
        services.AddSingleton<IOptionsChangeTokenSource<OpenIddictServerOptions>>(provider => provider.GetRequiredService<ProtocolKeyRing>());
        services.AddSingleton<ConfigureProtocolKeys>();
        services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>>(provider => provider.GetRequiredService<ConfigureProtocolKeys>());
        services.AddHostedService<ProtocolKeyRefresher>();
        services.AddSingleton<ProtocolRowPruner>();

        // The request's token manager itself (the one OpenIddict calls), for the strict-rotation handlers that defer a
        // redemption to the successor's write (Token/RejectConcurrentRefresh).
        services.AddScoped(provider => (LatchkeyTokenManager)provider.GetRequiredService<OpenIddictTokenManager<OpenIddictEntityFrameworkCoreToken>>());
        services.AddHostedService(provider => provider.GetRequiredService<ProtocolRowPruner>());
        services.AddSingleton<RequireUserTokenGrant>();

        services.AddOpenIddict()
            .AddCore(core =>
            {
                core.UseEntityFrameworkCore().UseDbContext<LatchkeyDbContext>();

                // OpenIddict's stores get the request's context when they first use it, not when they are built
                // (Clients/DeferredDbContext): a client_credentials token builds none.
                core.Services.AddScoped<DeferredDbContext>();
                core.Services.Replace(ServiceDescriptor.Scoped<IOpenIddictEntityFrameworkCoreContext>(provider => provider.GetRequiredService<DeferredDbContext>()));
                core.ReplaceApplicationManager<OpenIddictEntityFrameworkCoreApplication, LatchkeyApplicationManager>();
                core.ReplaceTokenManager<OpenIddictEntityFrameworkCoreToken, LatchkeyTokenManager>();
            })
            .AddServer(server =>
            {
                // Auth0's paths at the issuer's root (docs/reference/auth0-wire.md R1.4).
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

                server.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.OfflineAccess);
                server.RegisterClaims(
                    Claims.Subject, Claims.Name, Claims.Nickname, Claims.Picture, Claims.UpdatedAt, Claims.Email,
                    Claims.EmailVerified, Claims.AuthenticationTime, Claims.Nonce, Claims.AuthorizedParty, Claims.AccessTokenHash);

                // Scopes and audiences come from the tenant's APIs, which change at run time: Auth0 drops scopes an API
                // does not define (UserTokens/) and checks client grants itself (Audience/AudienceResolver), so
                // OpenIddict's static registries are not consulted.
                server.DisableScopeValidation()
                    .IgnoreScopePermissions()
                    .DisableAudienceValidation()
                    .IgnoreAudiencePermissions();

                // Access tokens are plain RS256 JWTs that any API validates with the JWKS (RFC 9068). They keep the
                // at+jwt type: OpenIddict reads "JWT" as an ID token (docs/reference/openiddict.md §3).
                server.DisableAccessTokenEncryption();

                server.UseAspNetCore()
                    .DisableTransportSecurityRequirement()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    .SuppressJsonResponseIndentation();

                // Auth0 silent authentication and popup login; also advertised in response_modes_supported.
                server.Configure(options => options.ResponseModes.Add(ApplyWebMessageResponse.ResponseMode));

                // The dialect: every endpoint's handler list, and the built-ins it replaces (ProtocolPipeline).
                foreach (var descriptor in ProtocolPipeline.RemovedBuiltIns)
                {
                    server.RemoveEventHandler(descriptor);
                }

                foreach (var descriptor in ProtocolPipeline.Handlers)
                {
                    server.AddEventHandler(descriptor);
                }
            });

        // OpenIddict's dispatcher, with each event's handlers listed once per options instance (Dispatch/TableDispatcher).
        services.AddSingleton<HandlerTable>();
        services.Replace(ServiceDescriptor.Scoped<IOpenIddictServerDispatcher, TableDispatcher>());

        // After OpenIddict's own post-configuration (registered by AddServer above), which sorts the signing keys.
        services.AddSingleton<IPostConfigureOptions<OpenIddictServerOptions>>(provider => provider.GetRequiredService<ConfigureProtocolKeys>());

        services.AddOptions<OpenIddictServerOptions>()
            .Configure<IOptions<LatchkeyOptions>, TimeProvider>((server, latchkey, time) =>
            {
                server.Issuer = latchkey.Value.Issuer;
                server.TimeProvider = time;

                // RFC 6749 §4.1.2: codes are short-lived (at most 10 minutes, enforced by LatchkeyOptionsValidator).
                server.AuthorizationCodeLifetime = latchkey.Value.Tokens.AuthorizationCodeLifetime;

                // PKCE S256 only (RFC 9700 §2.1.1): "plain" is neither accepted nor advertised.
                server.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain);

                // The reuse interval is per client (ValidateTokenEntryWithClientLeeway); OpenIddict's global 30 s is off.
                server.RefreshTokenReuseLeeway = null;

                // Only what Latchkey implements: secrets (post or basic) and "none" for public clients.
                server.ClientAuthenticationMethods.Clear();
                server.ClientAuthenticationMethods.Add(ClientAuthenticationMethods.ClientSecretBasic);
                server.ClientAuthenticationMethods.Add(ClientAuthenticationMethods.ClientSecretPost);
            });

        return services;
    }

    /// <summary>Start-up, under the start-up lock: creates the first keys on an empty database and loads the key set.</summary>
    public static Task InitializeProtocolAsync(this IServiceProvider services, CancellationToken cancellationToken = default) =>
        services.GetRequiredService<ProtocolKeyRing>().InitializeAsync(cancellationToken);

    public static WebApplication MapLatchkeyProtocol(this WebApplication app)
    {
        // Build OpenIddict's options now (the key ring was loaded at start-up), before the first request rather than during it.
        _ = app.Services.GetRequiredService<IOptionsMonitor<OpenIddictServerOptions>>().CurrentValue;

        // Statement lambdas with typed parameters: an HttpContext-only lambda would bind as a RequestDelegate and
        // silently drop the returned IResult (docs/reference/openiddict.md §1).
        app.MapMethods("/" + ProtocolPaths.Authorize, [HttpMethods.Get, HttpMethods.Post],
            async (HttpContext http, AuthorizeEndpoint endpoint) => await endpoint.HandleAsync(http));

        foreach (var path in new[] { ProtocolPaths.Auth0Logout, ProtocolPaths.OidcLogout })
        {
            app.MapMethods("/" + path, [HttpMethods.Get, HttpMethods.Post],
                async (HttpContext http, LogoutEndpoint endpoint) => await endpoint.HandleAsync(http));
        }

        return app;
    }
}
