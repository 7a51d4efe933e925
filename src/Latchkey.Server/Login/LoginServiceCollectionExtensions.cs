using Latchkey.Server.Operations;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Login;

internal static class LoginServiceCollectionExtensions
{
    public static IServiceCollection AddLatchkeyLogin(this IServiceCollection services)
    {
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "latchkey_antiforgery";
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            antiforgery.FormFieldName = "__RequestVerificationToken";
            // We send X-Frame-Options: DENY ourselves (antiforgery would send SAMEORIGIN).
            antiforgery.SuppressXFrameOptionsHeader = true;
        });

        services.AddScoped<PasswordAuthenticator>();
        services.AddScoped<SignUpService>();
        services.AddAddressRateLimit(RateLimitServiceCollectionExtensions.LoginPagesPolicy, limits => limits.LoginPages, LoginEndpoints.WriteRateLimitedAsync);
        return services;
    }

    public static WebApplication MapLatchkeyLogin(this WebApplication app)
    {
        // One PBKDF2 (210,000 iterations) off the start path: a login for an unknown email that comes before it is done
        // computes the hash itself (PasswordAuthenticator.DummyHash), so the timing rule holds either way.
        var hasherOptions = app.Services.GetRequiredService<IOptions<PasswordHasherOptions>>();
        _ = Task.Run(() => PasswordAuthenticator.WarmUp(hasherOptions));
        LoginEndpoints.Map(app);
        return app;
    }
}
