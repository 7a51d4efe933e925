using Latchkey.Server.Hosting;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Login;

internal static class LoginServiceCollectionExtensions
{
    public static IServiceCollection AddLatchkeyLogin(this IServiceCollection services)
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
        services.AddOptions<CookieAuthenticationOptions>(SessionDefaults.AuthenticationScheme)
            .Configure<LoginSessionStore, IOptions<LatchkeyOptions>>((cookie, store, latchkey) =>
            {
                cookie.SessionStore = store;
                cookie.ExpireTimeSpan = latchkey.Value.Sessions.Lifetime;
            });

        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "latchkey_antiforgery";
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            antiforgery.FormFieldName = "__RequestVerificationToken";
            // We send X-Frame-Options: DENY ourselves (antiforgery would send SAMEORIGIN).
            antiforgery.SuppressXFrameOptionsHeader = true;
        });

        services.AddScoped<LoginThrottleService>();
        services.AddScoped<PasswordAuthenticator>();
        services.AddScoped<SignUpService>();
        return services;
    }

    public static WebApplication MapLatchkeyLogin(this WebApplication app)
    {
        PasswordAuthenticator.WarmUp(app.Services.GetRequiredService<IOptions<PasswordHasherOptions>>());
        LoginEndpoints.Map(app);
        return app;
    }
}
