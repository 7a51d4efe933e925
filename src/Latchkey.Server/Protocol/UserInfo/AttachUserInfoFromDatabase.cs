using Latchkey.Server.Hosting;
using Latchkey.Server.Protocol.Audience;
using Latchkey.Server.Users;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Protocol.UserInfo;

/// <summary>
/// <c>/userinfo</c> (OIDC Core §5.3, docs/reference/auth0-wire.md R15.5): the current profile from the database, by the scopes of the
/// access token: <c>sub</c> always; <c>name nickname picture updated_at</c> (<see cref="UserProfile"/>, as in the ID
/// token) for <c>profile</c>; <c>email email_verified</c> for <c>email</c>. Like Auth0, only tokens whose audience includes
/// <c>&lt;issuer&gt;userinfo</c> (those issued with <c>openid</c>) are accepted, so a client_credentials token is not.
/// The response is unsigned JSON, so it carries no <c>iss</c>/<c>aud</c>.
/// </summary>
internal sealed class AttachUserInfoFromDatabase(UserAccess users, IOptions<LatchkeyOptions> options) : IOpenIddictServerHandler<HandleUserInfoRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleUserInfoRequestContext>()
            .UseScopedHandler<AttachUserInfoFromDatabase>()
            .SetOrder(OpenIddictServerHandlers.UserInfo.AttachClaims.Descriptor.Order + 1000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(HandleUserInfoRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var token = context.AccessTokenPrincipal;
        if (!token.HasAudience(AudienceResolver.UserInfoAudience(options.Value.Issuer!)))
        {
            context.Reject(Errors.InvalidToken, "The access token was not issued for the userinfo endpoint.");
            return;
        }

        var (user, denial) = await users.FindAsync(token.GetClaim(Claims.Subject), context.CancellationToken);
        if (user is null || denial != UserDenial.None)
        {
            context.Reject(Errors.InvalidToken, "The user is unknown or blocked.");
            return;
        }

        context.Issuer = null;
        context.Audiences.Clear();
        context.Subject = user.UserId;
        context.Email = null;
        context.FamilyName = context.GivenName = context.BirthDate = context.PhoneNumber = null;

        if (token.HasScope(Scopes.Profile))
        {
            var profile = UserProfile.Of(user);
            context.Claims[Claims.Name] = profile.Name;
            context.Claims[Claims.Nickname] = profile.Nickname;
            if (profile.Picture is not null)
            {
                context.Claims[Claims.Picture] = profile.Picture;
            }

            context.Claims[Claims.UpdatedAt] = profile.UpdatedAt;
        }

        if (token.HasScope(Scopes.Email))
        {
            context.Email = user.Email;
            context.EmailVerified = user.EmailVerified;
        }
    }
}
