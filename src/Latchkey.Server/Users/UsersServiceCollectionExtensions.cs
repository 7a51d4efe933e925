using Latchkey.Server.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Users;

internal static class UsersServiceCollectionExtensions
{
    public static IServiceCollection AddLatchkeyUsers(this IServiceCollection services)
    {
        // PasswordHasher v3 format: PBKDF2-HMAC-SHA512, 128-bit salt, Latchkey:Passwords:HashIterations; older or
        // cheaper hashes report SuccessRehashNeeded and are upgraded at the next login.
        services.AddOptions<PasswordHasherOptions>().Configure<IOptions<LatchkeyOptions>>((o, latchkey) =>
        {
            o.CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3;
            o.IterationCount = latchkey.Value.Passwords.HashIterations;
        });
        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        services.AddScoped<UserAccess>();
        return services;
    }
}
