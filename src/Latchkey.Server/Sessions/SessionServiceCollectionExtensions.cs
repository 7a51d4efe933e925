using Latchkey.Server.Hosting;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Sessions;

internal static class SessionServiceCollectionExtensions
{
    /// <summary>
    /// The login session: a cookie scheme whose tickets live in the database (<see cref="LoginSessionStore"/>). The login
    /// pages sign users into it, <c>/authorize</c> reads it, logout and the Management API end it;
    /// <see cref="SignOutEverywhere"/> also ends a user's refresh tokens and pending codes.
    /// </summary>
    public static IServiceCollection AddLatchkeySessions(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddCookie(SessionDefaults.AuthenticationScheme, cookie =>
            {
                cookie.Cookie.Name = SessionDefaults.CookieName;
                cookie.Cookie.HttpOnly = true;
                // Lax: sent on the top-level navigation back from the application to /authorize; same-site
                // iframes (prompt=none from the application's origin on the same site) also carry it.
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.Cookie.Path = "/";
                cookie.Cookie.IsEssential = true;
                cookie.LoginPath = SessionDefaults.LoginPath;
                cookie.ReturnUrlParameter = SessionDefaults.ReturnUrlParameter;
                // Not sliding: IssuedUtc is auth_time. The lifetime is Latchkey:Sessions:Lifetime (below).
                cookie.SlidingExpiration = false;
            });

        // Tickets live in the database, so a session can really end (logout, new login, administrator).
        services.AddSingleton<LoginSessionStore>();
        services.AddScoped<SignOutEverywhere>();
        services.AddOptions<CookieAuthenticationOptions>(SessionDefaults.AuthenticationScheme)
            .Configure<LoginSessionStore, IOptions<LatchkeyOptions>>((cookie, store, latchkey) =>
            {
                cookie.SessionStore = store;
                cookie.ExpireTimeSpan = latchkey.Value.Sessions.Lifetime;
            });

        return services;
    }
}
