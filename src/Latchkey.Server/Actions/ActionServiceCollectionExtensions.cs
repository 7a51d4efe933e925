namespace Latchkey.Server.Actions;

internal static class ActionServiceCollectionExtensions
{
    public static IServiceCollection AddLatchkeyActions(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddSingleton<ActionSecretProtector>();
        services.AddSingleton<ActionCatalog>();
        services.AddSingleton<ActionCache>();
        services.AddSingleton<ActionSandbox>();
        services.AddSingleton<ActionChain>();
        services.AddSingleton<PostLoginActions>();
        services.AddSingleton<CredentialsExchangeActions>();
        return services;
    }
}
