using System.Globalization;
using Latchkey.Server.Hosting;
using Latchkey.Server.Protocol.Audience;
using Latchkey.Server.Protocol.UserTokens;
using Latchkey.Server.Tenants;
using Latchkey.Server.Users;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Protocol.Token;

/// <summary>
/// Authorization-code and refresh-token grants act for a user, so the user is re-read: a deleted or blocked user gets
/// no tokens (Auth0 answers a blocked user with <c>user is blocked</c>, which auth0-spa-js turns into a local logout).
/// <list type="bullet">
/// <item>Code: the principal built at <c>/authorize</c> is used as is (it carries the nonce).</item>
/// <item>Refresh: the principal is rebuilt by <see cref="UserTokenPrincipal"/> with the grant's client, API
/// (<see cref="AudienceResolver.ForRefresh"/>), scopes and original <c>auth_time</c>, so profile changes and role changes reach the new tokens. The
/// authorization id (the refresh-token family used for reuse revocation) and the nonce are carried over, and the new
/// refresh token's lifetime follows the client's policy: never past the family's absolute lifetime, and at most the
/// idle lifetime from now (Auth0 semantics; rotation does not extend the absolute lifetime).</item>
/// </list>
/// </summary>
internal sealed class HandleUserTokenGrant(
    UserAccess users,
    UserTokenPrincipal principals,
    TenantCache tenants,
    IOptions<LatchkeyOptions> options) : IOpenIddictServerHandler<HandleTokenRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleTokenRequestContext>()
            .AddFilter<RequireUserTokenGrant>()
            .UseScopedHandler<HandleUserTokenGrant>()
            .SetOrder(OpenIddictServerHandlers.Exchange.AttachPrincipal.Descriptor.Order + 1000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(HandleTokenRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var isCode = context.Request.IsAuthorizationCodeGrantType();
        var isRefresh = context.Request.IsRefreshTokenGrantType();
        if ((!isCode && !isRefresh) || context.Principal is not { } granted)
        {
            return;
        }

        // Kept verbatim by NormalizeTokenErrors: auth0-spa-js logs out locally on "user is blocked".
        var (user, denial) = await users.FindAsync(granted.GetClaim(Claims.Subject), context.CancellationToken);
        if (user is null || denial != UserDenial.None)
        {
            context.Reject(Errors.InvalidGrant, denial == UserDenial.Blocked ? UserAccess.BlockedDescription : "The user no longer exists.");
            return;
        }

        if (isCode)
        {
            return;
        }

        var clientId = context.Request.ClientId ?? granted.GetPresenters().FirstOrDefault();
        var tenant = await tenants.GetAsync(context.CancellationToken);
        if (clientId is null || !tenant.Applications.TryGetValue(clientId, out var application))
        {
            context.Reject(Errors.InvalidGrant, "The client no longer exists.");
            return;
        }

        var audience = AudienceResolver.ForRefresh(granted, tenant, options.Value.Issuer!);
        if (!audience.Succeeded)
        {
            context.Reject(Errors.InvalidGrant, audience.ErrorDescription);
            return;
        }

        var authenticatedAt = long.TryParse(granted.GetClaim(Claims.AuthenticationTime), NumberStyles.None, CultureInfo.InvariantCulture, out var authTime)
            ? DateTimeOffset.FromUnixTimeSeconds(authTime)
            : context.Options.TimeProvider.GetUtcNow();

        var result = await principals.CreateAsync(
            new UserTokenRequest(user, application, audience.Api, granted.GetScopes(), GrantTypes.RefreshToken, authenticatedAt, granted.GetClaim("sid")),
            context.CancellationToken);
        if (result.Principal is not { } principal)
        {
            context.Reject(result.Error, result.ErrorDescription);
            return;
        }

        principal.SetAuthorizationId(granted.GetAuthorizationId());
        if (granted.GetClaim(Claims.Private.Nonce) is { } nonce)
        {
            principal.SetClaim(Claims.Private.Nonce, nonce);
        }

        var now = context.Options.TimeProvider.GetUtcNow();
        var familyCreatedAt = long.TryParse(granted.GetClaim(LatchkeyClaims.FamilyCreatedAt), NumberStyles.None, CultureInfo.InvariantCulture, out var started)
            ? DateTimeOffset.FromUnixTimeSeconds(started)
            : now;
        principal.SetClaim(LatchkeyClaims.FamilyCreatedAt, familyCreatedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        principal.SetRefreshTokenLifetime(RefreshTokenLifetimes.Next(application.RefreshToken, familyCreatedAt, now));

        context.Principal = principal;
    }
}
