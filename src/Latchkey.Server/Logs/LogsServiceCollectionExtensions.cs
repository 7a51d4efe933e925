namespace Latchkey.Server.Logs;

internal static class LogsServiceCollectionExtensions
{
    public static IServiceCollection AddLatchkeyLogs(this IServiceCollection services)
    {
        services.AddSingleton<TenantLog>();
        services.AddHostedService<TenantLogWriter>();
        services.AddSingleton<TenantLogPruner>();
        services.AddHostedService(provider => provider.GetRequiredService<TenantLogPruner>());
        return services;
    }
}
