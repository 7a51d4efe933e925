using System.Globalization;
using Latchkey.Server.Hosting;
using Latchkey.Server.Persistence;
using Latchkey.Server.Protocol.Audience;
using Latchkey.Server.Tenants;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Protocol.UserInfo;

/// <summary>
/// <c>/userinfo</c> (OIDC Core §5.3, docs/reference/auth0-wire.md R15.5): the current profile from the database, by the scopes of the
/// access token: <c>sub</c> always; <c>name nickname picture updated_at</c> (ISO string, as Auth0) for
/// <c>profile</c>; <c>email email_verified</c> for <c>email</c>. Like Auth0, only tokens whose audience includes
/// <c>&lt;issuer&gt;userinfo</c> (those issued with <c>openid</c>) are accepted, so a client_credentials token is not.
/// The response is unsigned JSON, so it carries no <c>iss</c>/<c>aud</c>.
/// </summary>
internal sealed class AttachUserInfoFromDatabase(LatchkeyDbContext db, IOptions<LatchkeyOptions> options) : IOpenIddictServerHandler<HandleUserInfoRequestContext>
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

        var subject = token.GetClaim(Claims.Subject);
        var user = subject is null ? null : await db.Set<User>().AsNoTracking().FirstOrDefaultAsync(u => u.UserId == subject, context.CancellationToken);
        if (user is null || user.Blocked)
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
            context.Claims[Claims.Name] = string.IsNullOrWhiteSpace(user.Name) ? user.Email : user.Name;
            context.Claims[Claims.Nickname] = string.IsNullOrWhiteSpace(user.Nickname) ? user.Email.Split('@')[0] : user.Nickname;
            if (!string.IsNullOrWhiteSpace(user.Picture))
            {
                context.Claims[Claims.Picture] = user.Picture;
            }

            context.Claims[Claims.UpdatedAt] = user.UpdatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        }

        if (token.HasScope(Scopes.Email))
        {
            context.Email = user.Email;
            context.EmailVerified = user.EmailVerified;
        }
    }
}
