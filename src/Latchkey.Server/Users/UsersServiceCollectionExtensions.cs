using Latchkey.Server.Hosting;
using Latchkey.Server.Users.Import;
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
        // Hashes imported from Auth0 (bcrypt, custom_password_hash) verify too and are replaced at the first login.
        services.AddSingleton<PasswordHasher<User>>();
        services.AddSingleton<IPasswordHasher<User>, ImportedPasswordHasher>();
        services.AddScoped<UserAccess>();
        return services;
    }
}
