using Latchkey.Server.Operations;

namespace Latchkey.Server.Accounts;

internal static class AccountsServiceCollectionExtensions
{
    public static IServiceCollection AddLatchkeyAccounts(this IServiceCollection services)
    {
        services.AddScoped<AccountTickets>();
        services.AddScoped<AccountMail>();
        services.AddAddressRateLimit(RateLimitServiceCollectionExtensions.DbConnectionsPolicy, limits => limits.DbConnections, DbConnectionsEndpoints.WriteRateLimitedAsync);
        return services;
    }

    public static WebApplication MapLatchkeyAccounts(this WebApplication app)
    {
        AccountPages.Map(app);
        DbConnectionsEndpoints.Map(app);
        return app;
    }
}
