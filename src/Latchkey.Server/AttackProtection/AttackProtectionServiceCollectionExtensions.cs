namespace Latchkey.Server.AttackProtection;

internal static class AttackProtectionServiceCollectionExtensions
{
    /// <summary>Brute-force protection and suspicious-IP throttling (<see cref="LoginThrottleService"/>), shared by the login pages and the Management API's user blocks.</summary>
    public static IServiceCollection AddLatchkeyAttackProtection(this IServiceCollection services) =>
        services.AddScoped<LoginThrottleService>();
}
