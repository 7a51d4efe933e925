using Latchkey.Server.Hosting;
using Latchkey.Server.Persistence;
using Latchkey.Server.Protocol.Browser;
using Latchkey.Server.Protocol.Clients;
using Latchkey.Server.Protocol.Handlers;
using Latchkey.Server.Protocol.Keys;
using Microsoft.Extensions.Options;
using OpenIddict.EntityFrameworkCore.Models;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Protocol;

/// <summary>
/// Registers the OpenIddict server with Auth0's endpoint paths and the Auth0-dialect handlers.
/// The engine is OpenIddict; what lives in this folder is the dialect on top of it, one handler per rule.
/// </summary>
internal static class ProtocolServiceCollectionExtensions
{
    public static IServiceCollection AddLatchkeyProtocol(this IServiceCollection services)
    {
        services.AddSingleton<UserPrincipalFactory>();
        services.AddSingleton<ClientDirectory>();
        services.AddOptions<KeysOptions>().BindConfiguration(KeysOptions.Section)
            .Validate(o => o.RotationInterval >= TimeSpan.FromHours(1) && o.RotationInterval <= TimeSpan.FromDays(730), "Latchkey:Keys:RotationInterval must be between 01:00:00 and 730.00:00:00.")
            .Validate(o => o.PublishBeforeUse >= TimeSpan.Zero && o.PublishBeforeUse < o.RotationInterval, "Latchkey:Keys:PublishBeforeUse must be at least 0 and shorter than Latchkey:Keys:RotationInterval.")
            .Validate(o => o.RefreshInterval >= TimeSpan.FromMilliseconds(100) && o.RefreshInterval <= TimeSpan.FromMinutes(5), "Latchkey:Keys:RefreshInterval must be between 00:00:00.1 and 00:05:00.")
            .ValidateOnStart();
        services.AddSingleton<ProtocolKeyRing>();
        services.AddSingleton<IOptionsChangeTokenSource<OpenIddictServerOptions>>(provider => provider.GetRequiredService<ProtocolKeyRing>());
        services.AddSingleton<ConfigureProtocolKeys>();
        services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>>(provider => provider.GetRequiredService<ConfigureProtocolKeys>());
        services.AddHostedService<ProtocolKeyRefresher>();
        services.AddSingleton<ProtocolRowPruner>();
        services.AddHostedService(provider => provider.GetRequiredService<ProtocolRowPruner>());

        // OpenIddict logs every request and response at Information; Warning keeps secrets out of logs and
        // costs nothing on the token path.
        services.AddLogging(logging => logging.AddFilter("OpenIddict", LogLevel.Warning));

        services.AddOpenIddict()
            .AddCore(core =>
            {
                core.UseEntityFrameworkCore().UseDbContext<LatchkeyDbContext>();
                core.ReplaceApplicationManager<OpenIddictEntityFrameworkCoreApplication, LatchkeyApplicationManager>();
            })
            .AddServer(server =>
            {
                // Auth0's paths at the issuer's root (auth0-wire R1.4).
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
                // does not define (UserPrincipalFactory) and checks client grants itself
                // (ValidateClientCredentialsAudience), so OpenIddict's static registries are not consulted.
                server.DisableScopeValidation()
                    .IgnoreScopePermissions()
                    .DisableAudienceValidation()
                    .IgnoreAudiencePermissions();

                // Access tokens are plain RS256 JWTs that any API validates with the JWKS (RFC 9068). They keep the
                // at+jwt type: OpenIddict reads "JWT" as an ID token (notes §3).
                server.DisableAccessTokenEncryption();

                // RFC 6749 §4.1.2: codes are short-lived (at most 10 minutes recommended).
                server.SetAuthorizationCodeLifetime(TimeSpan.FromMinutes(5));

                server.UseAspNetCore()
                    .DisableTransportSecurityRequirement()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    .SuppressJsonResponseIndentation();

                // Auth0's audience parameter is an API identifier, not RFC 8693's token-exchange audience.
                server.RemoveEventHandler(OpenIddictServerHandlers.Authentication.ValidateAudienceParameter.Descriptor);
                server.RemoveEventHandler(OpenIddictServerHandlers.Exchange.ValidateAudienceParameter.Descriptor);

                server.RemoveEventHandler(OpenIddictServerAspNetCoreHandlers.ExtractPostRequest<ExtractTokenRequestContext>.Descriptor);
                server.RemoveEventHandler(OpenIddictServerAspNetCoreHandlers.ExtractPostRequest<ExtractRevocationRequestContext>.Descriptor);
                server.RemoveEventHandler(OpenIddictServerAspNetCoreHandlers.ExtractGetOrPostRequest<ExtractUserInfoRequestContext>.Descriptor);
                server.AddEventHandler(ExtractFormOrJsonRequest<ExtractTokenRequestContext>.Descriptor);
                server.AddEventHandler(ExtractFormOrJsonRequest<ExtractRevocationRequestContext>.Descriptor);
                server.AddEventHandler(ExtractQueryOrFormRequest<ExtractUserInfoRequestContext>.Descriptor);

                server.RemoveEventHandler(OpenIddictServerHandlers.Protection.ValidateTokenEntry.Descriptor);
                server.AddEventHandler(ValidateTokenEntryWithClientLeeway.Descriptor);

                server.RemoveEventHandler(OpenIddictServerHandlers.Discovery.AttachSigningKeys.Descriptor);
                server.AddEventHandler(AttachCachedSigningKeys.Descriptor);

                server.AddEventHandler(AttachEndpointsFromIssuer.Descriptor);
                server.AddEventHandler(StoreOnlyDurableTokens.Descriptor);
                server.AddEventHandler(OmitPrivateTokenClaims.Descriptor);
                server.AddEventHandler(ValidateClientCredentialsAudience.Descriptor);
                server.AddEventHandler(HandleClientCredentialsGrant.Descriptor);
                server.AddEventHandler(HandleUserTokenGrant.Descriptor);
                server.AddEventHandler(NormalizeTokenErrors.Descriptor);
                server.AddEventHandler(ValidateCodeVerifierFormat.Descriptor);
                server.AddEventHandler(ValidateRefreshScope.Descriptor);
                server.AddEventHandler(RejectConcurrentRefresh.Descriptor);
                server.AddEventHandler(IgnoreOfflineAccessWithoutRefreshGrant.Descriptor);
                server.AddEventHandler(BurnCodeOnFailedExchange.Descriptor);
                server.AddEventHandler(AttachAccessDeniedStatus.Descriptor);
                server.AddEventHandler(AttachUserInfoFromDatabase.Descriptor);
                server.AddEventHandler(OmitErrorUri<ApplyTokenResponseContext>.Descriptor);
                server.AddEventHandler(OmitErrorUri<ApplyRevocationResponseContext>.Descriptor);
                server.AddEventHandler(OmitErrorUri<ApplyUserInfoResponseContext>.Descriptor);

                server.AddLatchkeyBrowserDialect();
            });

        // After OpenIddict's own post-configuration (registered by AddServer above), which sorts the signing keys.
        services.AddSingleton<IPostConfigureOptions<OpenIddictServerOptions>>(provider => provider.GetRequiredService<ConfigureProtocolKeys>());

        services.AddOptions<OpenIddictServerOptions>()
            .Configure<IOptions<LatchkeyOptions>, TimeProvider>((server, latchkey, time) =>
            {
                server.Issuer = latchkey.Value.Issuer;
                server.TimeProvider = time;

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

        app.MapLatchkeyBrowserDialect();
        return app;
    }
}
