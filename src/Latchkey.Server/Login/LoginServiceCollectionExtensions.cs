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
        PasswordAuthenticator.WarmUp(app.Services.GetRequiredService<IOptions<PasswordHasherOptions>>());
        LoginEndpoints.Map(app);
        return app;
    }
}
